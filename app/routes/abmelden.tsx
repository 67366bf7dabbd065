import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { getSession, signOut } from "~/platform/auth/auth.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { readForm } from "~/platform/http/forms";

/** Sign out (this device) or, with everywhere=1, end every session of the person. */
export async function action({ request }: ActionFunctionArgs) {
  const everywhere = (await readForm(request.clone())).get("everywhere") === "1";
  const { user } = await getSession(request);
  const cookie = await signOut(request, { everywhere });
  if (user) await recordAudit({ action: everywhere ? "auth.sign_out_everywhere" : "auth.sign_out", actorId: user.id });
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}

export const loader = () => redirect("/");
