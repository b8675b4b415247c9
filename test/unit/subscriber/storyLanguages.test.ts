import { describe, expect, it } from "vitest";
import type { Story } from "../../../src/news/types.js";
import {
  ALL_STORY_LANGUAGES_MASK,
  chooseVersion,
  maskToStoryLanguages,
  readsLanguage,
  STORY_LANGUAGES,
  storyAsVersion,
  storyLanguagesToMask,
  storyVersions,
} from "../../../src/subscriber/storyLanguages.js";

const story: Story = {
  id: "s1",
  feedId: "uz-daryo",
  outlet: "Daryo (кирилл)",
  language: "uz-Cyrl",
  title: "Қозоғистон ва Ўзбекистон савдо ҳажмини оширади",
  summary: "Кирилл матн.",
  link: "https://uz.test/cyr",
  published: "2026-12-01T08:00:00Z",
  publishedEstimated: false,
  categories: [],
  topics: ["trade"],
  alsoReportedBy: [
    { outlet: "Old outlet", link: "https://old.test/a" }, // stored before versions had a language
    {
      outlet: "Kun.uz",
      link: "https://kun.test/lat",
      language: "uz-Latn",
      title: "Savdo hajmi oshadi",
      summary: "Lotin.",
    },
    {
      outlet: "Astana Times",
      link: "https://at.test/en",
      language: "en",
      title: "Trade to grow",
      summary: "English.",
    },
  ],
  acceptedAt: "2026-12-01T08:01:00Z",
};

describe("story-language masks", () => {
  it("keeps the stored bit order", () => {
    // Profiles store masks over this order: a reorder would change every reader's languages.
    expect(STORY_LANGUAGES).toEqual(["ru", "kk", "uz-Latn", "uz-Cyrl", "en"]);
  });

  it("round-trips and knows every language", () => {
    const mask = storyLanguagesToMask(["en", "kk"]);
    expect(maskToStoryLanguages(mask)).toEqual(["kk", "en"]);
    expect(readsLanguage(mask, "en")).toBe(true);
    expect(readsLanguage(mask, "uz-Cyrl")).toBe(false);
    expect(maskToStoryLanguages(ALL_STORY_LANGUAGES_MASK)).toHaveLength(5);
  });
});

describe("chooseVersion", () => {
  const versions = storyVersions(story);

  it("lists the story's own telling first and only reports with a language as versions", () => {
    expect(versions.map((v) => v.language)).toEqual(["uz-Cyrl", "uz-Latn", "en"]);
  });

  it("gives an English-only reader the English telling, whatever the interface", () => {
    expect(chooseVersion(versions, storyLanguagesToMask(["en"]), "ru")?.link).toBe("https://at.test/en");
  });

  it("prefers the interface language among the languages read", () => {
    const all = ALL_STORY_LANGUAGES_MASK;
    expect(chooseVersion(versions, all, "en")?.language).toBe("en");
    expect(chooseVersion(versions, all, "uz")?.language).toBe("uz-Latn");
    // No Russian telling: the earliest one read.
    expect(chooseVersion(versions, all, "ru")?.language).toBe("uz-Cyrl");
  });

  it("gives nothing to a reader of none of the languages", () => {
    expect(chooseVersion(versions, storyLanguagesToMask(["ru", "kk"]), "ru")).toBeUndefined();
  });
});

describe("storyAsVersion", () => {
  it("puts the telling in front and every other, the original included, under also reported by", () => {
    const english = storyVersions(story)[2];
    if (!english) throw new Error("no English telling");
    const told = storyAsVersion(story, english);
    expect(told).toMatchObject({
      title: "Trade to grow",
      link: "https://at.test/en",
      outlet: "Astana Times",
      language: "en",
    });
    expect(told.alsoReportedBy.map((r) => r.link)).toEqual([
      "https://uz.test/cyr",
      "https://old.test/a",
      "https://kun.test/lat",
    ]);
    expect(told.id).toBe(story.id);
  });

  it("leaves the story as it is for its own telling", () => {
    const own = storyVersions(story)[0];
    if (!own) throw new Error("no own telling");
    expect(storyAsVersion(story, own)).toBe(story);
  });
});
