import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { getSession } from "./platform/auth/auth.server";
import { errorMessageOf } from "~/platform/errors";
import { ErrorPage } from "./ui/error-page";
import { Shell } from "./ui/shell";
import { isLanguage } from "./i18n/config";
import { i18next } from "./i18n/i18next.server";
import stylesheet from "./styles/app.css";
import { useNonce } from "./ui/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "ABH-Netz" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await i18next.getLocale(request);
  // The anonymous survey never looks at (or refreshes) a session: an answer must leave no
  // trace that could be lined up with a signed-in person's activity.
  if (new URL(request.url).pathname.startsWith("/umfrage"))
    return data({ locale: isLanguage(locale) ? locale : "de", user: null });
  const { user, session, headers } = await getSession(request);
  const signedIn = user && session && (!user.totpEnabled || session.twoFactorVerified);
  return data(
    { locale: isLanguage(locale) ? locale : "de", user: signedIn ? { name: user.name } : null },
    // Refreshes the sliding session cookie (or clears an expired one).
    { headers },
  );
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  const locale = data?.locale ?? "de";
  const nonce = useNonce();
  const { i18n } = useTranslation();
  useChangeLanguage(locale);
  return (
    <html lang={locale} dir={i18n.dir(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <Shell user={data?.user ?? null}>{children}</Shell>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  // Marks the document once React has taken over, so end-to-end tests can wait for it
  // before testing behaviour that needs JavaScript (autosave).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return <ErrorPage status={status} message={isRouteErrorResponse(error) ? errorMessageOf(error.data) : null} />;
}
