import { useTranslation } from "react-i18next";

export function LegalPageView({ title, html, file }: { title: string; html: string | null; file: string }) {
  const { t } = useTranslation("legal");
  if (!html) {
    return (
      <>
        <h1>{title}</h1>
        <p>{t("notConfigured", { file })}</p>
      </>
    );
  }
  // The operator's Markdown brings its own <h1>.
  return <div className="prose legal" lang="de" dangerouslySetInnerHTML={{ __html: html }} />;
}
