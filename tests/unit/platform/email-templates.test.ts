import { describe, expect, it } from "vitest";
import { findLinks, splitLinks } from "~/platform/email/links";
import { EMAIL_TEMPLATE_NAMES, renderEmail } from "~/platform/email/templates.server";

// A query string with "&" proves the link is escaped in HTML and intact in the text.
const acceptUrl = "https://abh-netz.example.de/einladung/Tok3n-abc?lng=de&quelle=mail";
const resetUrl = "https://abh-netz.example.de/passwort/neu/Tok3n-xyz?lng=en&x=1";

const invitation = {
  inviteeName: "Dana Beispiel",
  inviterName: "Referat Integration",
  roleLabel: "Leitung",
  networkName: "Rheinland-Pfalz",
  officeName: "Ausländerbehörde Mainz",
  acceptUrl,
  // 12:00 UTC in winter is 13:00 in Germany.
  expiresAt: new Date("2026-12-01T12:00:00Z"),
};
const reset = { name: "Dana Beispiel", resetUrl, validMinutes: 30 };

const escaped = (url: string) => url.replaceAll("&", "&amp;");

/** Templates with a test below; a new template fails "every registered template is covered here" until it has one. */
const COVERED: string[] = [
  "assessment-submitted",
  "invitation",
  "member-joined",
  "password-reset",
  "plan-reminder", // tests/unit/plan/reminder-email.test.ts
  "round-opened",
  "round-reminder",
  "survey-invitation", // tests/unit/assessment/survey-email.test.ts
];

describe("e-mail templates", () => {
  it("every registered template is covered here", () => {
    expect([...EMAIL_TEMPLATE_NAMES].sort()).toEqual(
      expect.arrayContaining(["assessment-submitted", "invitation", "password-reset", "round-opened"]),
    );
    expect(EMAIL_TEMPLATE_NAMES.filter((n) => !COVERED.includes(n))).toEqual([]);
  });

  it("the invitation in German: subject, HTML with the link, plain text with the link, German time", async () => {
    const mail = await renderEmail("invitation", "de", invitation);
    expect(mail.subject).toBe("Einladung zu ABH-Netz – Rheinland-Pfalz");
    expect(mail.html).toContain('lang="de"');
    expect(mail.html).toContain(`href="${escaped(acceptUrl)}"`);
    expect(mail.html).toContain("Einladung annehmen");
    expect(mail.html).toContain("Guten Tag Dana Beispiel,");
    expect(mail.html).toContain("Ihre Rolle: Leitung in der Behörde „Ausländerbehörde Mainz“ im Netzwerk „Rheinland-Pfalz“.");
    expect(mail.html).toContain("1. Dezember 2026 um 13:00 MEZ");
    expect(mail.html).not.toMatch(/Accept invitation|Your role|Hello/);

    expect(mail.text).not.toMatch(/<[a-z]/i);
    expect(mail.text).toContain(acceptUrl);
    expect(mail.text).toContain("Einladung annehmen");
    expect(mail.text).toContain("Die Einladung gilt bis 1. Dezember 2026 um 13:00 MEZ.");
    // The button's address once; the "copy this link" fallback is for HTML readers only.
    expect(mail.text.split(acceptUrl)).toHaveLength(2);
  });

  it("the invitation in English", async () => {
    const mail = await renderEmail("invitation", "en", invitation);
    expect(mail.subject).toBe("Invitation to ABH-Netz – Rheinland-Pfalz");
    expect(mail.html).toContain('lang="en"');
    expect(mail.html).toContain(`href="${escaped(acceptUrl)}"`);
    expect(mail.html).toContain("Accept invitation");
    expect(mail.html).toContain("Your role: Leitung at the office “Ausländerbehörde Mainz” in the network “Rheinland-Pfalz”.");
    expect(mail.html).toContain("1 December 2026 at 13:00 CET");
    expect(mail.html).not.toMatch(/Einladung annehmen|Ihre Rolle|Guten Tag/);
    expect(mail.text).toContain(acceptUrl);
    expect(mail.text).toContain("Accept invitation");
  });

  it("an invitation to a network role without office and without a known name", async () => {
    const { inviteeName: _name, officeName: _office, ...networkWide } = invitation;
    const mail = await renderEmail("invitation", "de", networkWide);
    expect(mail.text).toContain("Guten Tag,");
    expect(mail.text).toContain("Ihre Rolle: Leitung im Netzwerk „Rheinland-Pfalz“.");
    expect(mail.text).not.toContain("undefined");
  });

  it("names from user input are escaped in the HTML", async () => {
    const mail = await renderEmail("invitation", "de", { ...invitation, inviterName: 'Eve <img src="x" onerror="alert(1)">' });
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("Eve &lt;img");
  });

  it("the password reset in German and English, with the validity counted correctly", async () => {
    const de = await renderEmail("password-reset", "de", reset);
    expect(de.subject).toBe("Neues Passwort für ABH-Netz");
    expect(de.html).toContain(`href="${escaped(resetUrl)}"`);
    expect(de.html).toContain("Neues Passwort festlegen");
    expect(de.text).toContain(resetUrl);
    expect(de.text).toContain("Guten Tag Dana Beispiel,");
    expect(de.text).toContain("Der Link gilt 30 Minuten und funktioniert nur einmal.");
    expect(de.html).not.toMatch(/Set a new password|Hello/);

    const en = await renderEmail("password-reset", "en", { ...reset, validMinutes: 1 });
    expect(en.subject).toBe("New password for ABH-Netz");
    expect(en.html).toContain('lang="en"');
    expect(en.html).toContain(`href="${escaped(resetUrl)}"`);
    expect(en.text).toContain(resetUrl);
    expect(en.text).toContain("Set a new password");
    expect(en.text).toContain("The link is valid for 1 minute and works only once.");
    expect(en.html).not.toMatch(/Neues Passwort festlegen|Guten Tag/);
  });

  it("the round-opened e-mail in German and English: round, office, whole-day dates in German time, the link", async () => {
    const officeUrl = "https://abh-netz.example.de/behoerden/1234?x=1&y=2";
    const props = {
      headName: "Dana Beispiel",
      networkName: "Rheinland-Pfalz",
      officeName: "Ausländerbehörde Mainz",
      roundName: "2026",
      frameworkTitle: "Orientierungsrahmen Rheinland-Pfalz 2015",
      // 23:00 UTC on 31 Dec is already 1 January in Germany; 21:59 UTC on 31 March is still the 31st.
      opensAt: new Date("2026-12-31T23:00:00Z"),
      deadline: new Date("2027-03-31T21:59:59.999Z"),
      officeUrl,
    };
    const de = await renderEmail("round-opened", "de", props);
    expect(de.subject).toBe("Neue Erhebungsrunde „2026“ – Selbsteinschätzung für Ausländerbehörde Mainz");
    expect(de.html).toContain(`href="${escaped(officeUrl)}"`);
    expect(de.text).toContain(officeUrl);
    expect(de.text).toContain("Die Runde beginnt am 1. Januar 2027.");
    expect(de.text).toContain("Bitte reichen Sie die Selbsteinschätzung bis 31. März 2027 ein.");
    expect(de.text).not.toMatch(/<[a-z]/i);
    const en = await renderEmail("round-opened", "en", props);
    expect(en.subject).toBe("New assessment round “2026” – self-assessment for Ausländerbehörde Mainz");
    expect(en.html).toContain('lang="en"');
    expect(en.text).toContain("Please submit the self-assessment by 31 March 2027.");
    expect(en.html).not.toMatch(/Guten Tag|Erhebungsrunde/);
  });
});

describe("the submission receipt", () => {
  it("says what was submitted when, in German time, marks a late one, and links the assessment", async () => {
    const assessmentUrl = "https://abh-netz.example.de/behoerden/1/runden/2";
    const props = {
      headName: "Dana Beispiel",
      networkName: "Rheinland-Pfalz",
      officeName: "Ausländerbehörde Mainz",
      roundName: "2026",
      submittedAt: new Date("2027-03-20T09:15:00Z"),
      goalsDone: 11,
      goals: 12,
      measuresDone: 50,
      measures: 56,
      late: false,
      assessmentUrl,
    };
    const de = await renderEmail("assessment-submitted", "de", props);
    expect(de.subject).toBe("Eingangsbestätigung: Selbsteinschätzung Ausländerbehörde Mainz, Runde „2026“");
    expect(de.text).toContain("Eingegangen: 20. März 2027 um 10:15 MEZ.");
    expect(de.text).toContain("Beantwortet: 11 von 12 Zielen, 50 von 56 Maßnahmen.");
    expect(de.text).toContain(assessmentUrl);
    expect(de.text).not.toContain("nach der Frist");
    const late = await renderEmail("assessment-submitted", "de", { ...props, late: true });
    expect(late.text).toContain("Die Abgabe kam nach der Frist.");
    const en = await renderEmail("assessment-submitted", "en", props);
    expect(en.subject).toBe("Receipt: self-assessment of Ausländerbehörde Mainz, round “2026”");
    expect(en.html).not.toMatch(/Guten Tag|Eingegangen/);
  });
});

describe("the deadline reminder", () => {
  it("names round, office and the office's deadline in German time, says what is still open, links the assessment", async () => {
    const assessmentUrl = "https://abh-netz.example.de/behoerden/1/runden/2?a=1&b=2";
    const props = {
      headName: "Dana Beispiel",
      networkName: "Rheinland-Pfalz",
      officeName: "Ausländerbehörde Mainz",
      roundName: "2026",
      // 21:59 UTC on 31 March is still the 31st in Germany.
      deadline: new Date("2027-03-31T21:59:59.999Z"),
      goalsDone: 7,
      goals: 12,
      measuresDone: 20,
      measures: 56,
      assessmentUrl,
    };
    const de = await renderEmail("round-reminder", "de", props);
    expect(de.subject).toBe("Erinnerung: Selbsteinschätzung für Ausländerbehörde Mainz bis 31. März 2027 abgeben");
    expect(de.text).toContain("Guten Tag Dana Beispiel,");
    expect(de.text).toContain("Erhebungsrunde „2026“ (Netzwerk „Rheinland-Pfalz“) endet bald: am 31. März 2027.");
    expect(de.text).toContain("Bisher bewertet: 7 von 12 Zielen und 20 von 56 Maßnahmen.");
    expect(de.text).not.toContain("noch nicht begonnen");
    expect(de.html).toContain(`href="${escaped(assessmentUrl)}"`);
    expect(de.text).toContain(assessmentUrl);
    expect(de.text).not.toMatch(/<[a-z]/i);
    const fresh = await renderEmail("round-reminder", "de", { ...props, goalsDone: 0, measuresDone: 0 });
    expect(fresh.text).toContain("Ihre Behörde hat mit der Selbsteinschätzung noch nicht begonnen.");
    const en = await renderEmail("round-reminder", "en", props);
    expect(en.subject).toBe("Reminder: submit the self-assessment for Ausländerbehörde Mainz by 31 March 2027");
    expect(en.html).toContain('lang="en"');
    expect(en.text).toContain("Rated so far: 7 of 12 goals and 20 of 56 measures.");
    expect(en.html).not.toMatch(/Guten Tag|Erinnerung|Frist/);
  });
});

describe("the new-member notice to an office's heads", () => {
  const props = {
    headName: "Hanna Leitung",
    memberName: "Dana <Beispiel>",
    memberEmail: "dana@mainz.example",
    roleLabel: "Leitung",
    inviterName: "Referat Integration",
    officeName: "Ausländerbehörde Mainz",
    networkName: "Rheinland-Pfalz",
    teamUrl: "https://abh-netz.example.de/behoerden/1?a=1&b=2",
  };

  it("names the new member, their role, the office and who invited them, and links the team, in German and English", async () => {
    const de = await renderEmail("member-joined", "de", props);
    expect(de.subject).toBe("Neu im Team von Ausländerbehörde Mainz: Dana <Beispiel>");
    expect(de.text).toContain("Guten Tag Hanna Leitung,");
    expect(de.text).toContain("als „Leitung“ zur Behörde „Ausländerbehörde Mainz“");
    expect(de.text).toContain("Eingeladen hat: Referat Integration.");
    expect(de.text).toContain(props.teamUrl);
    expect(de.html).toContain(`href="${escaped(props.teamUrl)}"`);
    expect(de.html).toContain("Dana &lt;Beispiel&gt;");
    const en = await renderEmail("member-joined", "en", { ...props, inviterName: undefined });
    expect(en.subject).toBe("New in the team of Ausländerbehörde Mainz: Dana <Beispiel>");
    expect(en.text).toContain("Who sent the invitation is no longer known");
  });
});

describe("links in an e-mail's text", () => {
  it("finds each http(s) address once, without the punctuation that ends the sentence", () => {
    const text = `Öffnen Sie ${acceptUrl}. Oder (http://localhost:3000/dev/postfach), noch einmal: ${acceptUrl}\nmailto:x@y.de ftp://x`;
    expect(findLinks(text)).toEqual([acceptUrl, "http://localhost:3000/dev/postfach"]);
  });

  it("splits a text into plain pieces and links that join back to the text", () => {
    const text = `Link: ${resetUrl} – fertig`;
    const parts = splitLinks(text);
    expect(parts).toEqual([{ text: "Link: " }, { text: resetUrl, href: resetUrl }, { text: " – fertig" }]);
    expect(parts.map((p) => p.text).join("")).toBe(text);
  });
});
