import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyItem } from "../../../src/news/classify.js";
import { type LabelledHeadline, parseLabelledHeadlines } from "../../../src/news/evaluate.js";
import { TOPIC_IDS, type TopicId } from "../../../src/news/topicIds.js";
import {
  describeTopics,
  explainStoryTopics,
  explainTopics,
  MAX_TOPICS,
  tagTopics,
} from "../../../src/news/topics.js";
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
    expect(topics.length).toBeLessThanOrEqual(MAX_TOPICS);
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

describe("topics for subscribers", () => {
  const none = { categories: [], defaultTopics: [] as TopicId[] };

  it("lists every topic a lead gives substance to, diplomacy after them", () => {
    const topics = tagTopics({
      ...none,
      title: "Токаев и Мирзиёев провели переговоры в Астане",
      summary:
        "Подписаны соглашения о поставках электроэнергии, совместном использовании воды Сырдарьи и новой железной дороге.",
    });
    expect(new Set(topics)).toEqual(new Set(["energy", "water", "transport", "diplomacy"]));
    expect(topics.at(-1)).toBe("diplomacy");
  });

  it("does not list a topic backed only by one weak lead word, but does with a second word", () => {
    const title = "Казахстан и Узбекистан построят текстильный комбинат";
    const oneWeak = tagTopics({ ...none, title, summary: "Инвестиции составят 80 млн долларов." });
    expect(oneWeak).not.toContain("finance");
    const twoWords = tagTopics({
      ...none,
      title,
      summary: "Инвестиции составят 80 млн долларов, кредит выдаст банк развития.",
    });
    expect(twoWords).toContain("finance");
  });

  it("reads the full text when given, but needs two strong words there", () => {
    const title = "Qozog‘iston va O‘zbekiston hamkorlikni kengaytiradi";
    const summary = "Tomonlar yangi loyihalarni muhokama qildi.";
    const once = "Matnda bir marta gaz haqida gap boradi.";
    const twice = "Gaz quvuri orqali tabiiy gaz yetkazib berish va elektr energiyasi eksporti oshadi.";
    expect(tagTopics({ ...none, title, summary, content: once })).not.toContain("energy");
    const explained = explainTopics({ ...none, title, summary, content: twice });
    expect(explained.topics).toContain("energy");
    expect(
      explained.scores.find((s) => s.topic === "energy")?.evidence.every((e) => e.part === "content"),
    ).toBe(true);
  });

  it("hides words that only look like a topic", () => {
    const finance = tagTopics({
      ...none,
      title: "O‘zbekiston va Qozog‘iston milliy valyutalarda hisob-kitobga o‘tadi",
      summary: "",
    });
    expect(finance).not.toContain("culture");
    const cotton = tagTopics({
      ...none,
      title: "Қозоғистонлик инвесторлар Сирдарё вилоятида пахта кластерини ташкил этади",
      summary: "",
    });
    expect(cotton).toContain("agriculture");
    expect(cotton).not.toContain("water");
    expect(cotton).not.toContain("migration");
  });

  it.each([
    ["energy", "Построят ГЭС-1 и модернизируют ТЭЦ-3"],
    ["energy", "Энергомост Шымкент – Ташкент"],
    ["transport", "Новая ж/д ветка до границы"],
    ["industry", "Промкооперация в машиностроении"],
    ["agriculture", "Агрокластер на юге"],
    ["industry", "МЦПС принял первых резидентов"],
    ["transport", "Temir yo‘lchilar poyezdlar qatnovini kengaytirdi"],
    ["transport", "Темір жолшылар жаңа пойыздарды іске қосты"],
    ["agriculture", "Bugʻdoyni eksport qilish"],
    ["agriculture", "Bug’doyni eksport qilish"],
    ["agriculture", "Bug'doyni eksport qilish"],
    ["agriculture", "Bugʼdoyni eksport qilish"],
    ["agriculture", "Bug‘doyni eksport qilish"],
    ["agriculture", "Буғдойни экспорт қилиш"],
    ["education", "Universities exchange students"],
    ["water", "Reservoirs release more water"],
  ] as const)("%s from «%s»", (topic, title) => {
    expect(tagTopics({ ...none, title, summary: "" })).toContain(topic);
  });

  it("explains each topic with the words that earned it", () => {
    const explained = explainTopics({
      ...none,
      title: "Казахстан увеличит поставки газа в Узбекистан",
      summary: "Стороны обсудили транзит по газопроводу и строительство ГЭС.",
    });
    const line = describeTopics(explained);
    expect(line).toMatch(/^energy: «газа», «газопроводу» \(lead\)/);
    const story = { title: "Kazakhstan, Uzbekistan: the view from Saryagash", summary: "", categories: [] };
    expect(explainStoryTopics(story, ["transport"])).toBe("transport from feed-defaults");
    expect(describeTopics({ topics: ["diplomacy"], scores: [], basis: "state-relations" })).toBe(
      "diplomacy from state-relations",
    );
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
    expect(result.reason).toMatch(/topics: transport: «poyezd/);
  });

  it("passes the full text to the tagger", () => {
    const item = {
      title: "Qozog‘iston va O‘zbekiston hamkorlikni kengaytiradi",
      summary: "Tomonlar yangi loyihalarni muhokama qildi.",
      categories: [],
      language: "uz-Latn" as const,
      defaultTopics: [],
    };
    const content = "Universitetlar talabalar almashinuvi va qo‘shma ta’lim dasturlarini yo‘lga qo‘yadi.";
    const without = classifyItem(item);
    const withContent = classifyItem({ ...item, content });
    expect(without.relevant && without.topics).not.toContain("education");
    expect(withContent.relevant && withContent.topics).toContain("education");
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
