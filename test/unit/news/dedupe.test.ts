import { describe, expect, it } from "vitest";
import {
  compareFingerprints,
  compileVocabulary,
  extractTerms,
  findDuplicate,
  fingerprintStory,
  type StoryFingerprint,
} from "../../../src/news/dedupe.js";
import type { TopicId } from "../../../src/news/topicIds.js";

const NOW = new Date("2026-04-01T12:00:00Z");
let counter = 0;

function fp(
  title: string,
  topics: TopicId[],
  options: { summary?: string; feedId?: string; published?: string } = {},
): StoryFingerprint {
  counter++;
  return fingerprintStory({
    id: `story-${counter}`,
    feedId: options.feedId ?? `feed-${counter}`,
    published: options.published ?? "2026-04-01T10:00:00Z",
    topics,
    title,
    summary: options.summary ?? "",
  });
}

function same(a: StoryFingerprint, b: StoryFingerprint): boolean {
  return findDuplicate(b, [a], NOW)?.storyId === a.storyId;
}

describe("extractTerms", () => {
  it("maps one concept written in several languages and scripts to one term", () => {
    const forms = ["газ", "газовое", "gaz", "gas", "газа"];
    for (const form of forms) expect(extractTerms(form)).toEqual(["~gas"]);
    expect(extractTerms("железная дорога")).toEqual(["~railway"]);
    expect(extractTerms("temir yo‘l")).toEqual(["~railway"]);
    expect(extractTerms("темир йўл")).toEqual(["~railway"]);
    expect(extractTerms("railway")).toEqual(["~railway"]);
  });

  it("normalises amounts written with a decimal comma or point, and currency signs", () => {
    expect(extractTerms("$1.5bn")).toEqual(["~usd", "#1.5", "~billion"]);
    expect(extractTerms("$1,5 млрд")).toEqual(["~usd", "#1.5", "~billion"]);
    expect(extractTerms("1,500 tons")).toEqual(["#1500", "~tons"]);
    expect(extractTerms("15%")).toContain("#15");
    expect(extractTerms("15%")).toContain("~percent");
  });

  it("recognises the leaders in every spelling", () => {
    for (const name of ["Токаев", "Тоқаев", "Tokayev", "Toʻqayev", "To'qayev"]) {
      expect(extractTerms(name)).toEqual(["~tokayev"]);
    }
    for (const name of ["Мирзиёев", "Mirziyoyev", "Mirziyoev"]) {
      expect(extractTerms(name)).toEqual(["~mirziyoyev"]);
    }
  });

  it("drops stopwords of every language and the two country names", () => {
    expect(extractTerms("Казахстан и Узбекистан")).toEqual([]);
    expect(extractTerms("Qozog‘iston va O‘zbekiston")).toEqual([]);
    expect(extractTerms("Kazakhstan and the Uzbekistan")).toEqual([]);
    expect(extractTerms("Қазақстан мен Өзбекстан")).toEqual([]);
  });

  it("stems other words by prefix, so inflections and transliterations meet", () => {
    expect(extractTerms("Сарыагашского района")).toEqual(extractTerms("Сарыагашский район"));
  });
});

describe("compileVocabulary", () => {
  it("rejects a malformed vocabulary file with a clear error", () => {
    expect(() =>
      compileVocabulary(
        { stopwords: [], concepts: [{ id: "Bad Id", weight: 1, forms: ["x"] }] },
        "bad-concepts.json",
      ),
    ).toThrow(/Invalid vocabulary file bad-concepts\.json:\n {2}at concepts\[0\]\.id \(value "Bad Id"\)/);
  });

  it("honours phrases and prefixes of a custom vocabulary", () => {
    const vocab = compileVocabulary({
      stopwords: ["the"],
      concepts: [{ id: "rail", weight: 2, forms: ["железн* дорог*"] }],
    });
    expect(extractTerms("the железной дороги", vocab)).toEqual(["~rail"]);
    expect(extractTerms("железной трубы", vocab)).toEqual(["jelez", "truby"]);
  });

  it("takes the opening of the full text as the lead when the feed's lead is a stub", () => {
    const base = { id: "s", feedId: "f", published: "2026-04-01T10:00:00Z", topics: [] as TopicId[] };
    const content = "Газопровод Газли – Шымкент: поставки выросли на 15%.";
    const stub = fingerprintStory({ ...base, title: "Новости", summary: "Подробнее…", content });
    expect(stub.lead).toContain("~pipeline");
    const real = fingerprintStory({
      ...base,
      title: "Новости",
      summary: "Стороны обсудили транзит грузов через границу.",
      content,
    });
    expect(real.lead).not.toContain("~pipeline");
  });

  it("reads forms with the pipeline's one matcher: longest form wins, abbreviations, bad forms", () => {
    const vocab = compileVocabulary({
      stopwords: [],
      concepts: [
        { id: "minister", weight: 1, forms: ["министр*"] },
        { id: "prime-minister", weight: 1, forms: ["премьер министр*"] },
        { id: "railway", weight: 2, forms: ["ж д", "railway*"] },
      ],
    });
    expect(extractTerms("Премьер-министр открыл ж/д вокзал", vocab)).toEqual([
      "~prime-minister",
      "otkry",
      "~railway",
      "vokza",
    ]);
    expect(() =>
      compileVocabulary({ stopwords: [], concepts: [{ id: "bad", weight: 1, forms: ["x*"] }] }, "c.json"),
    ).toThrow(/c\.json: form "x\*" of bad/);
  });
});

describe("findDuplicate: the same event told by different outlets merges", () => {
  const pairs: Array<[string, string, string, TopicId[]]> = [
    [
      "English and Russian, amount in different notation",
      "Kazakhstan and Uzbekistan sign $1.5bn gas deal",
      "Казахстан и Узбекистан подписали газовое соглашение на $1,5 млрд",
      ["energy"],
    ],
    [
      "Russian and Uzbek Latin phone call",
      "Токаев и Мирзиёев провели телефонный разговор",
      "Toʻqayev va Mirziyoyev telefon orqali muloqot qildi",
      ["diplomacy"],
    ],
    [
      "Uzbek Cyrillic and Uzbek Latin",
      "Ўзбекистон ва Қозоғистон темир йўл қатновини кенгайтиради",
      "O‘zbekiston va Qozog‘iston temir yo‘l qatnovini kengaytiradi",
      ["transport"],
    ],
    [
      "two Russian outlets, different word order",
      "Товарооборот Казахстана и Узбекистана в 2024 году достиг $4,4 млрд",
      "Товарооборот между Узбекистаном и Казахстаном вырос до 4,4 млрд долларов",
      ["trade"],
    ],
    [
      "English and Russian electricity supply",
      "Uzbekistan to supply electricity to southern Kazakhstan this winter",
      "Узбекистан будет поставлять электроэнергию на юг Казахстана зимой",
      ["energy"],
    ],
    [
      "Kazakh and Russian checkpoint opening",
      "Қазақстан мен Өзбекстан шекарасында жаңа өткізу бекеті ашылды",
      "На казахстанско-узбекской границе открылся новый пункт пропуска",
      ["transport"],
    ],
    [
      "English and Russian Silk Visa",
      "Kazakhstan and Uzbekistan to launch joint Silk Visa for tourists",
      "Казахстан и Узбекистан запустят единую туристическую визу Silk Visa",
      ["tourism"],
    ],
    [
      "Kazakh and Uzbek Latin, amounts and month",
      "Қазақстан мен Өзбекстан 1,5 млрд долларлық газ келісіміне қол қойды",
      "O‘zbekiston va Qozog‘iston 1,5 mlrd dollarlik gaz bitimini imzoladi",
      ["energy"],
    ],
    [
      "Russian and English, date and city",
      "В Ташкенте 12 марта пройдёт казахстанско-узбекский бизнес-форум",
      "Kazakh-Uzbek business forum to be held in Tashkent on March 12",
      ["trade"],
    ],
  ];

  for (const [name, a, b, topics] of pairs) {
    it(name, () => {
      expect(same(fp(a, topics), fp(b, topics))).toBe(true);
    });
  }

  it("merges through the lead when the headlines are worded apart", () => {
    const a = fp("Uzbekistan, Kazakhstan agree on Syr Darya water allocation for summer", ["water"], {
      summary: "The sides agreed on water releases from the Shardara reservoir during the irrigation season.",
    });
    const b = fp("Стороны договорились о воде на лето", ["water"], {
      summary:
        "Казахстан и Узбекистан согласовали лимиты воды из Сырдарьи и Шардаринского водохранилища на вегетационный период.",
    });
    expect(same(a, b)).toBe(true);
  });
});

describe("findDuplicate: different events stay apart", () => {
  const pairs: Array<[string, string, TopicId[], string, TopicId[]]> = [
    [
      "same day, same countries, gas deal vs railway deal",
      "Kazakhstan and Uzbekistan sign $1.5bn gas deal",
      ["energy"],
      "Kazakhstan and Uzbekistan sign railway agreement",
      ["transport"],
    ],
    [
      "two diplomacy items: a phone call and birthday congratulations",
      "Токаев и Мирзиёев провели телефонный разговор",
      ["diplomacy"],
      "Мирзиёев поздравил Токаева с днём рождения",
      ["diplomacy"],
    ],
    [
      "two trade items with different figures",
      "Товарооборот Казахстана и Узбекистана достиг $4,4 млрд",
      ["trade"],
      "Казахстан и Узбекистан подписали торговые соглашения на $1,5 млрд",
      ["trade"],
    ],
    [
      "visits in opposite directions",
      "Премьер-министр Казахстана посетил Ташкент",
      ["diplomacy"],
      "Премьер-министр Узбекистана прибыл в Астану",
      ["diplomacy"],
    ],
    [
      "two transport items: a train and a checkpoint",
      "Возобновлено пассажирское ж/д сообщение Алматы — Ташкент",
      ["transport"],
      "Открыт новый КПП на казахстанско-узбекской границе",
      ["transport"],
    ],
    [
      "two trade items: a trade centre and turnover growth",
      "Uzbekistan, Kazakhstan to build cross-border trade center",
      ["trade"],
      "Kazakhstan-Uzbekistan trade turnover up 10%",
      ["trade"],
    ],
    [
      "water on two rivers",
      "Казахстан и Узбекистан обсудили вододеление на Сырдарье",
      ["water"],
      "Узбекистан и Казахстан обсудили проекты на Амударье и Арале",
      ["water"],
    ],
    [
      "two culture events",
      "В Алматы открылись Дни культуры Узбекистана",
      ["culture"],
      "В Самарканде прошёл концерт казахстанских артистов",
      ["culture"],
    ],
  ];

  for (const [name, a, ta, b, tb] of pairs) {
    it(name, () => {
      expect(same(fp(a, ta), fp(b, tb))).toBe(false);
    });
  }

  it("never merges two items of the same feed", () => {
    const a = fp("Kazakhstan and Uzbekistan sign $1.5bn gas deal", ["energy"], { feedId: "gazeta-en" });
    const b = fp("Kazakhstan, Uzbekistan sign $1.5 billion gas agreement", ["energy"], {
      feedId: "gazeta-en",
    });
    expect(same(a, b)).toBe(false);
    const c = fp("Kazakhstan, Uzbekistan sign $1.5 billion gas agreement", ["energy"], {
      feedId: "daryo-en",
    });
    expect(same(a, c)).toBe(true);
  });

  it("never merges outside the time window", () => {
    const a = fp("Kazakhstan and Uzbekistan sign $1.5bn gas deal", ["energy"], {
      published: "2026-03-28T10:00:00Z",
    });
    const b = fp("Kazakhstan, Uzbekistan sign $1.5 billion gas agreement", ["energy"], {
      published: "2026-04-01T10:00:00Z",
    });
    expect(findDuplicate(b, [a], NOW)).toBeUndefined();
    expect(findDuplicate(b, [a], NOW, { windowHours: 24 * 7 })?.storyId).toBe(a.storyId);
  });

  it("does not merge headlines too short to judge", () => {
    expect(compareFingerprints(fp("Новости", ["other"]), fp("News", ["other"])).same).toBe(false);
  });

  it("picks the most similar of several candidates", () => {
    const gas = fp("Kazakhstan and Uzbekistan sign $1.5bn gas deal", ["energy"]);
    const rail = fp("Kazakhstan and Uzbekistan sign railway agreement", ["transport"]);
    const gasRu = fp("Казахстан и Узбекистан подписали газовое соглашение на $1,5 млрд", ["energy"]);
    expect(findDuplicate(gasRu, [rail, gas], NOW)?.storyId).toBe(gas.storyId);
  });
});
