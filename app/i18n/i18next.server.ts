import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_LANGUAGE, i18nConfig, SUPPORTED_LANGUAGES } from "./config";

export const languageCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

/** German unless the visitor chose English (language switch → cookie, or ?lng=en). */
export const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
    cookie: languageCookie,
    // No Accept-Language: German is the default, English only by explicit choice.
    order: ["searchParams", "cookie"],
    searchParamKey: "lng",
  },
  i18next: i18nConfig,
});
