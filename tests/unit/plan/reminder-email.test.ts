import { describe, expect, it } from "vitest";
import { renderEmail } from "~/platform/email/templates.server";

/** The reminder about plan activities: counts and links, in the person's language, never what the activities say. */
describe("plan activity reminder e-mail", () => {
  const props = {
    name: "Dana Beispiel",
    beforeEnd: 1,
    overdue: 0,
    daysBefore: 7,
    timelineUrl: "https://abh-netz.example.de/behoerden/abc/plan/zeitplan?a=1&b=2",
    accountUrl: "https://abh-netz.example.de/konto",
  };

  it("says how many activities end soon, links the timeline and says how to turn reminders off (German)", async () => {
    const de = await renderEmail("plan-reminder", "de", props);
    expect(de.subject).toBe("Erinnerung: Ein Arbeitsschritt im Umsetzungsplan endet bald");
    expect(de.text).toContain("Guten Tag Dana Beispiel,");
    expect(de.text).toContain("ein Arbeitsschritt, für den Sie verantwortlich sind, endet in den nächsten 7 Tagen");
    expect(de.text).not.toContain("überschritten");
    expect(de.html).toContain('href="https://abh-netz.example.de/behoerden/abc/plan/zeitplan?a=1&amp;b=2"');
    expect(de.text).toContain(props.timelineUrl);
    expect(de.text).toContain("„Mein Konto“: https://abh-netz.example.de/konto");
    expect(de.text).not.toMatch(/<[a-z]/i);
  });

  it("puts overdue activities first in the subject and counts both (English)", async () => {
    const en = await renderEmail("plan-reminder", "en", { ...props, beforeEnd: 3, overdue: 2 });
    expect(en.subject).toBe("Reminder: 2 activities in the implementation plan are overdue");
    expect(en.html).toContain('lang="en"');
    expect(en.text).toContain("3 activities you are responsible for end in the next 7 days");
    expect(en.text).toContain("2 activities you are responsible for are past their end date");
    expect(en.html).not.toMatch(/Guten Tag|Arbeitsschritt/);
  });
});
