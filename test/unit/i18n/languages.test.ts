import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectLanguage, LANGUAGES } from "../../../src/i18n/languages.js";
import { createI18n, LOCALES_DIR } from "../../../src/i18n/translator.js";

describe("detectLanguage", () => {
  it.each([
    ["kk", "kk"],
    ["uz", "uz"],
    ["uz-Cyrl", "uz"],
    ["ru-RU", "ru"],
    ["en-GB", "en"],
    ["de", "ru"],
    [undefined, "ru"],
    ["", "ru"],
  ])("%s → %s", (code, expected) => {
    expect(detectLanguage(code)).toBe(expected);
  });
});

describe("locales", () => {
  const ids = (locale: string) =>
    new Set(
      [...readFileSync(join(LOCALES_DIR, `${locale}.ftl`), "utf8").matchAll(/^([A-Za-z][\w-]*)\s*=/gm)].map(
        (m) => m[1] as string,
      ),
    );

  it("has every message in every language", () => {
    const all = new Set(LANGUAGES.flatMap((l) => [...ids(l)]));
    expect(all.size).toBeGreaterThan(10);
    for (const locale of LANGUAGES) {
      expect(
        [...all].filter((id) => !ids(locale).has(id)),
        locale,
      ).toEqual([]);
    }
  });

  it("renders every message without Fluent errors or isolation marks", () => {
    const i18n = createI18n();
    for (const locale of LANGUAGES) {
      const source = readFileSync(join(LOCALES_DIR, `${locale}.ftl`), "utf8");
      const variables = Object.fromEntries(
        [...source.matchAll(/\{\s*\$(\w+)\s*\}/g)].map((m) => [m[1], "X"]),
      );
      for (const id of ids(locale)) {
        const text = i18n.t(locale, id, variables);
        expect(text, `${locale}:${id}`).not.toBe(id);
        expect(text).not.toMatch(/[\u2068\u2069]|\{\s*\$/);
      }
    }
  });
});
