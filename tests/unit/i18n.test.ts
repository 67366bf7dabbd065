import { describe, expect, it } from "vitest";
import { de } from "~/i18n/de";
import { en } from "~/i18n/en";

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ""): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tree).flatMap(([key, value]) =>
      typeof value === "string" ? [[prefix + key, value]] : Object.entries(flatten(value, `${prefix}${key}.`)),
    ),
  );
const variables = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("translations", () => {
  const german = flatten(de as Tree);
  const english = flatten(en as Tree);

  it("English has exactly the German keys", () => {
    expect(Object.keys(english).sort()).toEqual(Object.keys(german).sort());
  });

  it("both languages use the same placeholders in every string", () => {
    for (const key of Object.keys(german)) expect(variables(english[key]), key).toEqual(variables(german[key]));
  });

  it("no German string is left empty (English may leave a German-only note empty)", () => {
    const empty = Object.entries(german).filter(([key, value]) => !value && key !== "catalogue.contentLanguageNote");
    expect(empty).toEqual([]);
  });
});
