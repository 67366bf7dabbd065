import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import { createInstance, type TFunction } from "i18next";
import type { ReactNode } from "react";
import { i18nConfig, type Language } from "../app/i18n/config";
import { formatDateTime } from "../app/utils/datetime";

export type { Language };
export { formatDateTime };

/**
 * The e-mail namespace's strings in one language. One i18next instance for all e-mails,
 * initialised synchronously from the bundled resources (nothing is fetched).
 */
const i18n = createInstance();
void i18n.init({ ...i18nConfig, lng: "de", initImmediate: false });

export function emailT(language: Language): TFunction<"email"> {
  return i18n.getFixedT(language, "email");
}

const colors = { text: "#1a1a1a", muted: "#4a4a4a", brand: "#00457d", line: "#d0d7de" };

const styles = {
  body: { backgroundColor: "#ffffff", color: colors.text, fontFamily: "Arial, Helvetica, sans-serif", margin: 0 },
  container: { maxWidth: "600px", margin: "0 auto", padding: "24px 16px" },
  brand: { color: colors.brand, fontSize: "22px", fontWeight: "bold", margin: 0 },
  tagline: { color: colors.muted, fontSize: "14px", margin: "4px 0 0" },
  text: { fontSize: "16px", lineHeight: "24px", margin: "0 0 16px" },
  button: {
    backgroundColor: colors.brand,
    borderRadius: "4px",
    color: "#ffffff",
    display: "inline-block",
    fontSize: "16px",
    fontWeight: "bold",
    padding: "12px 20px",
    textDecoration: "none",
  },
  small: { color: colors.muted, fontSize: "14px", lineHeight: "20px", margin: "0 0 8px" },
  link: { color: colors.brand, wordBreak: "break-all" as const },
  hr: { borderColor: colors.line, margin: "24px 0" },
};

/**
 * Shared frame of every ABH-Netz e-mail: plain, accessible HTML (language set, one
 * heading, real text, a link that also works without the button), a footer line.
 */
export function EmailLayout({ language, preview, children }: { language: Language; preview: string; children: ReactNode }) {
  const t = emailT(language);
  return (
    <Html lang={language} dir="ltr">
      <Head>
        <meta name="color-scheme" content="light" />
      </Head>
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Section>
            <Heading as="h1" style={styles.brand}>
              {t("layout.brand")}
            </Heading>
            <Text style={styles.tagline}>{t("layout.tagline")}</Text>
          </Section>
          <Hr style={styles.hr} />
          <Section>{children}</Section>
          <Hr style={styles.hr} />
          <Text style={styles.small}>{t("layout.footer")}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export function Paragraph({ children }: { children: ReactNode }) {
  return <Text style={styles.text}>{children}</Text>;
}

export function Small({ children }: { children: ReactNode }) {
  return <Text style={styles.small}>{children}</Text>;
}

/**
 * The call to action: a button, and the same address as a plain link below it. The
 * plain-text version shows "label address" once (the fallback is skipped there).
 */
export function Action({ href, label, language }: { href: string; label: string; language: Language }) {
  const t = emailT(language);
  return (
    <>
      <Section style={{ margin: "8px 0 24px" }}>
        <Button href={href} style={styles.button}>
          {label}
        </Button>
      </Section>
      <Section data-skip-in-text="true">
        <Text style={styles.small}>{t("layout.linkFallback")}</Text>
        <Text style={styles.small}>
          <Link href={href} style={styles.link}>
            {href}
          </Link>
        </Text>
      </Section>
    </>
  );
}
