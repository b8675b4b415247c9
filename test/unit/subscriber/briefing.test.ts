import { describe, expect, it } from "vitest";
import { formatBriefing } from "../../../src/delivery/briefing.js";
import { createI18n, translatorOf } from "../../../src/i18n/translator.js";
import type { Story } from "../../../src/news/types.js";
import { topicsToMask } from "../../../src/storage/subscriptions.js";
import { BriefingStories, duePeriod, windowStart } from "../../../src/subscriber/briefing.js";
import { storyLanguagesToMask } from "../../../src/subscriber/storyLanguages.js";

const translate = translatorOf(createI18n());
const ZONE = "Asia/Almaty"; // UTC+5

/** 2026-12-07 is a Monday. */
const at = (iso: string) => new Date(iso);

describe("duePeriod", () => {
  it("a daily briefing is due from its local hour for the catch-up window, once per local date", () => {
    expect(duePeriod("briefing", 8, at("2026-12-03T02:59:00Z"), ZONE)).toBeUndefined(); // 07:59
    expect(duePeriod("briefing", 8, at("2026-12-03T03:00:00Z"), ZONE)).toBe("briefing:2026-12-03");
    expect(duePeriod("briefing", 8, at("2026-12-03T08:59:00Z"), ZONE)).toBe("briefing:2026-12-03");
    expect(duePeriod("briefing", 8, at("2026-12-03T09:00:00Z"), ZONE)).toBeUndefined(); // 14:00
    // Just after local midnight, UTC is still the day before: the local date names the period.
    expect(duePeriod("briefing", 0, at("2026-12-02T19:30:00Z"), ZONE)).toBe("briefing:2026-12-03");
  });

  it("a weekly digest is due on Mondays only", () => {
    expect(duePeriod("weekly", 9, at("2026-12-07T04:10:00Z"), ZONE)).toBe("digest:2026-12-07");
    expect(duePeriod("weekly", 9, at("2026-12-08T04:10:00Z"), ZONE)).toBeUndefined();
  });

  it("a window starts at the last briefing, never more than one period back", () => {
    const now = at("2026-12-03T03:00:00Z");
    expect(windowStart("briefing", undefined, now)).toBe(now.getTime() - 86_400_000);
    expect(windowStart("briefing", now.getTime() - 3_600_000, now)).toBe(now.getTime() - 3_600_000);
    expect(windowStart("weekly", 0, now)).toBe(now.getTime() - 7 * 86_400_000);
  });
});

function story(id: string, topics: Story["topics"], minutesAgo: number, extra: Partial<Story> = {}): Story {
  const acceptedAt = new Date(Date.parse("2026-12-03T03:00:00Z") - minutesAgo * 60_000).toISOString();
  return {
    id,
    feedId: "f",
    outlet: "Outlet",
    language: "ru",
    title: `Story ${id}`,
    summary: "",
    link: `https://outlet.test/${id}`,
    published: acceptedAt,
    publishedEstimated: false,
    categories: [],
    topics,
    alsoReportedBy: [],
    acceptedAt,
    ...extra,
  };
}

describe("BriefingStories", () => {
  const now = Date.parse("2026-12-03T03:00:00Z");
  const stories = new BriefingStories([
    story("new-trade", ["trade"], 10),
    story("keyword", ["culture"], 20, { title: "Концерт в Ташкенте" }),
    story("energy", ["energy", "trade"], 30),
    story("english", ["trade"], 40, { language: "en" }),
    story("old-trade", ["trade"], 60 * 30),
  ]);
  const reader = {
    language: "en" as const,
    topicMask: topicsToMask(["trade", "energy"]),
    storyLanguageMask: storyLanguagesToMask(["ru"]),
    keywords: ["ташкент"],
  };

  it("groups the window's stories by topic, keyword-only first, each once, oldest first", () => {
    const sections = stories.sectionsFor(reader, now - 86_400_000, now, "briefing");
    expect(sections.map((s) => [s.topic, s.stories.map((x) => x.id)])).toEqual([
      ["keywords", ["keyword"]],
      ["trade", ["new-trade"]],
      // Filed under its first topic the reader follows; the English one is not read, the old one is out of the window.
      ["energy", ["energy"]],
    ]);
    expect(sections[0]?.stories[0]?.matchedKeyword).toBe("ташкент");
  });
});

describe("formatBriefing", () => {
  const many = Array.from({ length: 60 }, (_, i) =>
    story(`s${i}`, ["trade"], i, {
      title: `${"Очень длинный заголовок про торговлю & экспорт ".repeat(4)}${i}`,
    }),
  );

  it("splits cleanly within 4096 characters, keeping every line and link whole", () => {
    const messages = formatBriefing({
      kind: "briefing",
      language: "en",
      translate,
      period: "3 December",
      ratesHtml: "💱 <b>Official NBK exchange rates</b>",
      sections: [{ topic: "trade", stories: many, more: 3 }],
    });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.length).toBeLessThanOrEqual(4096);
      // Balanced tags: every <a ...> closed within the same message.
      expect((m.match(/<a /g) ?? []).length).toBe((m.match(/<\/a>/g) ?? []).length);
      expect((m.match(/<b>/g) ?? []).length).toBe((m.match(/<\/b>/g) ?? []).length);
    }
    expect(messages[0]).toContain("Your briefing for 3 December");
    expect(messages[0]).toContain("Official NBK exchange rates");
    // The topic goes on in the next message under its heading again.
    for (const m of messages) expect(m).toContain("📦 Trade");
    const all = messages.join("\n");
    for (const s of many) expect(all).toContain(`<a href="${s.link}">`);
    expect(all).toContain("&amp; экспорт");
    expect(messages.at(-1)).toContain("…and 3 more: /latest");
  });

  it("says so when there is nothing new, and a digest has no rates", () => {
    const [only, ...rest] = formatBriefing({
      kind: "weekly",
      language: "ru",
      translate,
      period: "30 нояб. – 7 дек.",
      sections: [],
    });
    expect(rest).toEqual([]);
    expect(only).toContain("Ваш недельный дайджест");
    expect(only).toContain("новых новостей по вашим темам нет");
  });
});
