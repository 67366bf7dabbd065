import { describe, expect, it } from "vitest";
import { renderEmail } from "~/platform/email/templates.server";

/** The staff survey's personal code: it reaches the colleague only, with the link and the promise that goes with it. */
describe("survey invitation e-mail", () => {
  const props = {
    name: "Dana Beispiel",
    officeName: "Ausländerbehörde Mainz",
    roundName: "2026",
    // 22:59:59 UTC on 20 December is the last second of that day in Germany.
    closesAt: new Date("2026-12-20T22:59:59Z"),
    surveyUrl: "https://abh-netz.example.de/umfrage/ABCD-EFGH-JKLM",
  };

  it("in German: subject, a link with the code that opens the form, the end date and who knows the code", async () => {
    const mail = await renderEmail("survey-invitation", "de", props);
    expect(mail.subject).toBe("Anonyme Mitarbeitendenbefragung – Ausländerbehörde Mainz");
    expect(mail.html).toContain('lang="de"');
    expect(mail.html).toContain(`href="${props.surveyUrl}"`);
    expect(mail.text).toContain("Guten Tag Dana Beispiel,");
    expect(mail.text).toContain("Der folgende Link enthält Ihren persönlichen Code");
    expect(mail.text).toContain(props.surveyUrl);
    // The code appears only in the link's path (so the outbox can redact it there).
    expect(mail.text.split("ABCD-EFGH-JKLM")).toHaveLength(2);
    expect(mail.html.replaceAll(props.surveyUrl, "")).not.toContain("ABCD-EFGH-JKLM");
    expect(mail.text).toContain("bis zum 20. Dezember 2026");
    expect(mail.text).toContain("Ihre Behördenleitung kennt ihn nicht");
    expect(mail.text).toContain("zählt nicht für die Mindestzahl");
    expect(mail.text).not.toMatch(/<[a-z]/i);
  });

  it("in English", async () => {
    const mail = await renderEmail("survey-invitation", "en", props);
    expect(mail.subject).toBe("Anonymous staff survey – Ausländerbehörde Mainz");
    expect(mail.html).toContain('lang="en"');
    expect(mail.text).toContain("The following link holds your personal code");
    expect(mail.text).toContain(props.surveyUrl);
    expect(mail.text).toContain("until 20 December 2026");
    expect(mail.text).not.toMatch(/persönlichen Code|Guten Tag/);
  });

  it("escapes a name typed by a person", async () => {
    const mail = await renderEmail("survey-invitation", "de", { ...props, name: 'Eve <img src="x">' });
    expect(mail.html).not.toContain("<img");
  });
});
