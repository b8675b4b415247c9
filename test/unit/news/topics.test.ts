import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyItem } from "../../../src/news/classify.js";
import { type LabelledHeadline, parseLabelledHeadlines } from "../../../src/news/evaluate.js";
import { TOPIC_IDS, type TopicId } from "../../../src/news/topicIds.js";
import { explainTopics, tagTopics } from "../../../src/news/topics.js";
import { compileTopicsVocabulary, VocabularyError } from "../../../src/news/vocabulary.js";

type Example = LabelledHeadline;

const examples = parseLabelledHeadlines(
  readFileSync(new URL("../../fixtures/headlines.json", import.meta.url), "utf8"),
);
const kept = examples.filter((e) => e.relevant && e.topics !== undefined && e.topics.length > 0);

function tag(e: Example, extra: Partial<{ categories: string[]; defaultTopics: TopicId[] }> = {}): TopicId[] {
  return tagTopics({
    title: e.title,
    summary: e.summary,
    categories: e.categories,
    defaultTopics: [],
    ...extra,
  });
}

describe("tagTopics on each kept example", () => {
  it.each(kept.map((e) => [`${e.id} → ${e.topics?.[0]}: ${e.title}`, e] as const))("%s", (_, e) => {
    const topics = tag(e);
    expect(topics.length).toBeGreaterThanOrEqual(1);
    expect(topics.length).toBeLessThanOrEqual(3);
    for (const t of topics) expect(TOPIC_IDS).toContain(t);
  });
});

describe("topic agreement", () => {
  it("returns the expected primary topic for at least 85% of kept stories", () => {
    const agreeing = kept.filter((e) => tag(e).includes(e.topics?.[0] as TopicId));
    expect(agreeing.length / kept.length).toBeGreaterThanOrEqual(0.85);
  });
});

describe("tagTopics rules", () => {
  const neutral = { summary: "", categories: [], defaultTopics: [] as TopicId[] };

  it("puts a specific topic before diplomacy", () => {
    const topics = tagTopics({
      ...neutral,
      title: "Токаев и Мирзиёев обсудили поставки газа и электроэнергии",
    });
    expect(topics[0]).toBe("energy");
    expect(topics).toContain("diplomacy");
  });

  it("falls back to diplomacy for state relations and to other for the rest", () => {
    expect(tagTopics({ ...neutral, title: "Kazakhstan and Uzbekistan: a new chapter in relations" })).toEqual(
      ["diplomacy"],
    );
    expect(tagTopics({ ...neutral, title: "Kazakhstan, Uzbekistan: the view from Saryagash" })).toEqual([
      "other",
    ]);
  });

  it("uses categories only when the text is silent, and feed defaults after state relations", () => {
    const silent = { ...neutral, title: "Kazakhstan, Uzbekistan: the view from Saryagash" };
    expect(tagTopics({ ...silent, categories: ["Iqtisodiyot"] })).toEqual(["trade"]);
    expect(tagTopics({ ...silent, defaultTopics: ["transport"] })).toEqual(["transport"]);
    const energy = { ...neutral, title: "Казахстан увеличит поставки газа в Узбекистан" };
    expect(tagTopics({ ...energy, categories: ["Культура"] })[0]).toBe("energy");
  });

  it("explains where the topics came from", () => {
    const explained = explainTopics({ ...neutral, title: "Товарооборот Казахстана и Узбекистана вырос" });
    expect(explained.basis).toBe("keywords");
    expect(explained.scores[0]?.topic).toBe("trade");
    expect(explained.scores[0]?.words).toContain("товарооборот");
  });
});

describe("classifyItem", () => {
  it("combines relevance and topics", () => {
    const result = classifyItem({
      title: "Qozog‘iston va O‘zbekiston o‘rtasida yangi poyezd qatnovi yo‘lga qo‘yildi",
      summary: "Toshkent — Turkiston yo‘nalishida haftasiga uch marta.",
      categories: ["Jamiyat"],
      language: "uz-Latn",
      defaultTopics: [],
    });
    expect(result.relevant).toBe(true);
    if (result.relevant) expect(result.topics[0]).toBe("transport");
    expect(result.reason).toMatch(/topics:/);
  });

  it("drops with a reason and no topics", () => {
    const result = classifyItem({
      title: "Курсы валют на 1 апреля",
      summary: "Нацбанк Казахстана установил курс узбекского сума.",
      categories: [],
      language: "ru",
      defaultTopics: ["finance"],
    });
    expect(result).toEqual({ relevant: false, reason: expect.stringMatching(/rates/) });
  });
});

describe("topics vocabulary validation", () => {
  it("rejects an unknown topic id with the file name", () => {
    const good = JSON.parse(
      readFileSync(new URL("../../../data/vocabulary/topics.json", import.meta.url), "utf8"),
    ) as { topics: Record<string, unknown> };
    const broken = structuredClone(good);
    broken.topics.sports = broken.topics.trade;
    expect(() => compileTopicsVocabulary(broken, "topics.json")).toThrow(VocabularyError);
    expect(() => compileTopicsVocabulary(broken, "topics.json")).toThrow(/topics\.json[\s\S]*topics/);
  });
});
