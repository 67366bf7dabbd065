import type { OfficeKind } from "~/generated/prisma/enums";

/**
 * The 36 Ausländerbehörden of Rheinland-Pfalz (24 Landkreise, 12 kreisfreie Städte)
 * with their real names and former Regierungsbezirk. Every figure attached to them by
 * `demoOffices()` is synthetic, derived from the name so that seeding is repeatable.
 */
const CITIES: Array<[name: string, region: string, size: number]> = [
  ["Frankenthal (Pfalz)", "Rheinhessen-Pfalz", 2],
  ["Kaiserslautern", "Rheinhessen-Pfalz", 4],
  ["Koblenz", "Koblenz", 4],
  ["Landau in der Pfalz", "Rheinhessen-Pfalz", 2],
  ["Ludwigshafen am Rhein", "Rheinhessen-Pfalz", 5],
  ["Mainz", "Rheinhessen-Pfalz", 5],
  ["Neustadt an der Weinstraße", "Rheinhessen-Pfalz", 2],
  ["Pirmasens", "Rheinhessen-Pfalz", 1],
  ["Speyer", "Rheinhessen-Pfalz", 2],
  ["Trier", "Trier", 4],
  ["Worms", "Rheinhessen-Pfalz", 3],
  ["Zweibrücken", "Rheinhessen-Pfalz", 1],
];

const DISTRICTS: Array<[name: string, region: string, size: number]> = [
  ["Ahrweiler", "Koblenz", 3],
  ["Altenkirchen (Westerwald)", "Koblenz", 3],
  ["Alzey-Worms", "Rheinhessen-Pfalz", 3],
  ["Bad Dürkheim", "Rheinhessen-Pfalz", 3],
  ["Bad Kreuznach", "Koblenz", 3],
  ["Bernkastel-Wittlich", "Trier", 2],
  ["Birkenfeld", "Koblenz", 2],
  ["Cochem-Zell", "Koblenz", 1],
  ["Donnersbergkreis", "Rheinhessen-Pfalz", 2],
  ["Eifelkreis Bitburg-Prüm", "Trier", 2],
  ["Germersheim", "Rheinhessen-Pfalz", 3],
  ["Kaiserslautern", "Rheinhessen-Pfalz", 2],
  ["Kusel", "Rheinhessen-Pfalz", 1],
  ["Mainz-Bingen", "Rheinhessen-Pfalz", 4],
  ["Mayen-Koblenz", "Koblenz", 4],
  ["Neuwied", "Koblenz", 3],
  ["Rhein-Hunsrück-Kreis", "Koblenz", 2],
  ["Rhein-Lahn-Kreis", "Koblenz", 2],
  ["Rhein-Pfalz-Kreis", "Rheinhessen-Pfalz", 3],
  ["Südliche Weinstraße", "Rheinhessen-Pfalz", 2],
  ["Südwestpfalz", "Rheinhessen-Pfalz", 1],
  ["Trier-Saarburg", "Trier", 3],
  ["Vulkaneifel", "Trier", 1],
  ["Westerwaldkreis", "Koblenz", 4],
];

export const DEMO_NETWORK = {
  slug: "rlp-demo",
  name: "Rheinland-Pfalz (Demo)",
  state: "Rheinland-Pfalz",
} as const;

export function slugify(text: string) {
  return text
    .toLowerCase()
    .replaceAll("ä", "ae")
    .replaceAll("ö", "oe")
    .replaceAll("ü", "ue")
    .replaceAll("ß", "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A small deterministic hash, so the synthetic figures are the same on every seed. */
function hash(text: string) {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16777619) >>> 0;
  return h;
}

export type DemoOffice = {
  slug: string;
  name: string;
  kind: OfficeKind;
  region: string;
  clientsServed: number;
  staffCount: number;
  email: string;
};

export function demoOffices(): DemoOffice[] {
  const make = ([place, region, size]: [string, string, number], kind: OfficeKind): DemoOffice => {
    // "Donnersbergkreis" is already a district's full name; "Mainz-Bingen" needs "Landkreis".
    const prefix = kind === "KREISFREIE_STADT" ? "Stadt" : /kreis/i.test(place) ? "" : "Landkreis";
    const fullName = `${prefix} ${place}`.trim();
    const slug = slugify(fullName);
    // Synthetic: clients served grows with the size class (1–5); staff ≈ 1 per 900 clients.
    const clientsServed = size * 6000 + (hash(slug) % 5000);
    return {
      slug,
      name: `Ausländerbehörde ${fullName}`,
      kind,
      region,
      clientsServed,
      staffCount: Math.max(3, Math.round(clientsServed / 900)),
      email: `abh@${slug}.demo.invalid`,
    };
  };
  return [...CITIES.map((c) => make(c, "KREISFREIE_STADT")), ...DISTRICTS.map((d) => make(d, "LANDKREIS"))];
}
