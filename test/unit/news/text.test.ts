import { describe, expect, it } from "vitest";
import {
  foldText,
  foldTextKeepingHyphens,
  matchKey,
  tokenize,
  tokenizeForMatching,
  toLatin,
} from "../../../src/news/text.js";

describe("foldText", () => {
  it("unifies every apostrophe variant used in Uzbek Latin", () => {
    const variants = [
      "O'zbekiston",
      "Oʻzbekiston",
      "O‘zbekiston",
      "O’zbekiston",
      "O`zbekiston",
      "Oʼzbekiston",
    ];
    for (const v of variants) expect(foldText(v)).toBe("o'zbekiston");
  });

  it("keeps the letter apostrophe after o and g at a word end but drops quotation apostrophes", () => {
    expect(foldText("tog' va 'Toshkent' banki")).toBe("tog' va toshkent banki");
  });

  it("folds ё to е, lower-cases and strips punctuation", () => {
    expect(foldText("Мирзиёев: «Казахстан — наш сосед!»")).toBe("мирзиеев казахстан наш сосед");
  });

  it("keeps Kazakh and Uzbek Cyrillic letters", () => {
    expect(foldText("Қазақстан, Өзбекстан; Ўзбекистон ва Қозоғистон ҳамкорлиги")).toBe(
      "қазақстан өзбекстан ўзбекистон ва қозоғистон ҳамкорлиги",
    );
  });

  it("turns dashes into spaces, but the hyphen-keeping variant keeps compounds", () => {
    expect(foldText("казахстанско-узбекских – связей")).toBe("казахстанско узбекских связей");
    expect(foldTextKeepingHyphens("казахстанско-узбекских – связей")).toBe("казахстанско-узбекских связей");
    expect(foldTextKeepingHyphens("Nur‑Sultan")).toBe("nur-sultan");
  });

  it("removes soft hyphens and zero-width characters instead of splitting words", () => {
    expect(foldText("Ка\u00ADзах\u200Bстан")).toBe("казахстан");
  });

  it("applies NFKC and collapses whitespace", () => {
    expect(foldText("  Ｔａｓｈｋｅｎｔ\u00A0\u00A0 city ")).toBe("tashkent city");
  });

  it("is idempotent", () => {
    const s = "Oʻzbekiston–Qozogʻiston: «tovar» ayirboshlash, Ўзбекистон ёки Казахстан?";
    expect(foldText(foldText(s))).toBe(foldText(s));
  });
});

describe("toLatin", () => {
  it("transliterates Uzbek Cyrillic to the Uzbek Latin spelling", () => {
    expect(toLatin(foldText("Ўзбекистон ва Қозоғистон"))).toBe(foldText("O'zbekiston va Qozog'iston"));
    expect(toLatin("тошкент шаҳри")).toBe("toshkent shahri");
  });

  it("covers Russian and Kazakh letters", () => {
    expect(toLatin("шымкент жібек жолы")).toBe("shymkent jibek joly");
    expect(toLatin("щука ёж цирк юг яма эхо ъ ь")).toBe("shuka yoj tsirk yug yama exo ' ");
    expect(toLatin("әңгіме ғұмыр үй һ")).toBe("anggime g'umyr uy h");
  });

  it("keeps case on the first output letter and leaves Latin untouched", () => {
    expect(toLatin("Шымкент and Tashkent")).toBe("Shymkent and Tashkent");
  });
});

describe("matchKey and tokenisers", () => {
  it("gives the same key to a word in Uzbek Cyrillic and in Uzbek Latin with any apostrophe", () => {
    expect(matchKey(foldText("Ўзбекистонга"))).toBe(matchKey(foldText("O‘zbekistonga")));
    expect(matchKey(foldText("Қозоғистондан"))).toBe(matchKey(foldText("Qozogʻistondan")));
  });

  it("tokenize splits on spaces and dashes", () => {
    expect(tokenize("Astana-Tashkent train")).toEqual(["astana", "tashkent", "train"]);
    expect(tokenize("  ")).toEqual([]);
  });

  it("tokenizeForMatching remembers compounds", () => {
    const tokens = tokenizeForMatching("o'zbek-qozoq forumi");
    expect(tokens.map((t) => t.key)).toEqual(["ozbek", "qozoq", "forumi"]);
    expect(tokens[0]?.compound).toBe(0);
    expect(tokens[1]?.compound).toBe(0);
    expect(tokens[2]?.compound).toBe(-1);
  });
});
