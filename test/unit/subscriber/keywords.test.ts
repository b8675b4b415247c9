import { describe, expect, it } from "vitest";
import {
  KeywordMatcher,
  keywordAsUnderstood,
  keywordPattern,
  MAX_KEYWORDS,
  parseKeywords,
} from "../../../src/subscriber/keywords.js";

describe("parseKeywords", () => {
  it("splits on commas, semicolons and new lines, folds case and drops repeats", () => {
    expect(parseKeywords("Ташкент, UzAuto Motors;\nташкент ,  Kun.uz").keywords).toEqual([
      "ташкент",
      "uzauto motors",
      "kun.uz",
    ]);
  });

  it("refuses pattern syntax, markup, too short, too long and too many words, saying why", () => {
    const { keywords, refused } = parseKeywords(
      `газ*, <b>x</b>, (a|b), а, ?, один два три четыре пять, ${"очень".repeat(9)}`,
    );
    expect(keywords).toEqual([]);
    expect(refused.map((r) => r.problem)).toEqual([
      "syntax",
      "syntax",
      "syntax",
      "too-short",
      "syntax",
      "too-many-words",
      "too-long",
    ]);
  });

  it("keeps at most ten, counting the ones already chosen", () => {
    const existing = Array.from({ length: 8 }, (_, i) => `слово${i}`);
    const { keywords, refused } = parseKeywords("Навои, Термез, Хива", existing);
    expect(keywords).toHaveLength(MAX_KEYWORDS);
    expect(refused).toEqual([{ entry: "Хива", problem: "too-many" }]);
  });
});

describe("keyword matching", () => {
  const matches = (keyword: string, text: string) => new KeywordMatcher([text]).matches(keyword);

  it("matches other word endings and the other script", () => {
    expect(matches("Ташкент", "Делегация прибыла в Ташкенте")).toBe(true);
    expect(matches("железные дороги", "Модернизация железных дорог двух стран")).toBe(true);
    expect(matches("Ўзбекистон", "Qozog'iston va O'zbekistonga")).toBe(true);
    expect(matches("Навои", "Навоийский горно-металлургический комбинат")).toBe(true);
  });

  it("does not match a phrase whose words are apart, nor a short word inside another", () => {
    expect(matches("железные дороги", "Железные ворота и новые дороги")).toBe(false);
    expect(matches("ГЭС", "Гэсстрой объявил тендер")).toBe(false);
    expect(matches("ГЭС", "Рогунская ГЭС")).toBe(true);
  });

  it("builds a stem pattern the vocabularies' syntax understands, and shows it back", () => {
    expect(keywordPattern("Ташкент")).toBe("tashkent*");
    expect(keywordPattern("ГЭС")).toBe("ges");
    expect(keywordPattern("kun-uz")).toBe("kun-uz");
    expect(keywordAsUnderstood("железные дороги")).toBe("железн… дорог…");
    expect(keywordAsUnderstood("ГЭС")).toBe("гэс");
  });

  it("answers the first keyword of a list that matches", () => {
    const matcher = new KeywordMatcher(["UzAuto Motors запускает завод в Казахстане"]);
    expect(matcher.firstMatch(["хива", "uzauto", "казахстан"])).toBe("uzauto");
    expect(matcher.firstMatch(["хива"])).toBeUndefined();
  });
});
