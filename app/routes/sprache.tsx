import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { z } from "zod";
import { languageCookie } from "~/i18n/i18next.server";
import { safeRedirectPath } from "~/platform/http/responses";
import { readForm } from "~/platform/http/forms";

const schema = z.object({
  lng: z.enum(["de", "en"]),
  redirectTo: z.string().optional(),
});

/** The language switch: a plain form post, so it works without JavaScript. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Ungültige Sprache", { status: 400 });
  // Drop a ?lng= from the address, or it would override the choice just made.
  const target = new URL(safeRedirectPath(parsed.data.redirectTo), "http://x");
  target.searchParams.delete("lng");
  return redirect(target.pathname + target.search, {
    headers: { "Set-Cookie": await languageCookie.serialize(parsed.data.lng) },
  });
}

export async function loader() {
  return redirect("/");
}
