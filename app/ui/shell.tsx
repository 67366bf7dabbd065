import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Header, navigation, language switch and footer around every page. */
export function Shell({ children, user }: { children: React.ReactNode; user: { name: string } | null }) {
  const { t, i18n } = useTranslation("common");
  const { t: ta } = useTranslation("auth");
  const location = useLocation();
  const other = i18n.language === "en" ? "de" : "en";
  return (
    <>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <Link to="/" className="brand">
            <span className="brand-name">{t("appName")}</span>
            <span className="brand-tagline">{t("tagline")}</span>
          </Link>
          <nav aria-label={t("mainNavigation")} className="main-nav">
            <ul>
              <li>
                <NavLink to="/" end>
                  {t("nav.home")}
                </NavLink>
              </li>
              <li>
                <NavLink to="/katalog">{t("nav.catalogue")}</NavLink>
              </li>
            </ul>
          </nav>
          <div className="user-menu">
            {user ? (
              <>
                <Link to="/konto" aria-label={ta("nav.user", { name: user.name })}>
                  {user.name}
                </Link>
                <Form method="post" action="/abmelden">
                  <button type="submit">{ta("signOut.button")}</button>
                </Form>
              </>
            ) : (
              <Link to="/anmelden">{ta("nav.signIn")}</Link>
            )}
          </div>
          <Form method="post" action="/sprache" className="language-switch">
            <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
            <button type="submit" name="lng" value={other} lang={other} aria-label={t("language.switchToLong")}>
              {t("language.switchTo")}
            </button>
          </Form>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container">
        {children}
      </main>
      <footer className="site-footer">
        <nav aria-label={t("footer.label")} className="container">
          <ul>
            <li>
              <Link to="/impressum">{t("footer.imprint")}</Link>
            </li>
            <li>
              <Link to="/datenschutz">{t("footer.privacy")}</Link>
            </li>
            <li>
              <Link to="/barrierefreiheit">{t("footer.accessibility")}</Link>
            </li>
          </ul>
        </nav>
      </footer>
    </>
  );
}
