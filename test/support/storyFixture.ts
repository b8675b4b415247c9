import type { Story } from "../../src/news/types.js";

/** A stored story for delivery tests: an English trade story accepted now, with `overrides`. */
export function testStory(id: string, overrides: Partial<Story> = {}): Story {
  const now = new Date().toISOString();
  return {
    id,
    feedId: "gazeta",
    outlet: "Gazeta.uz",
    language: "en",
    title: "Kazakhstan and Uzbekistan sign a trade deal",
    summary: "Both sides agreed.",
    link: `https://www.gazeta.uz/news/${id}`,
    published: now,
    publishedEstimated: false,
    categories: [],
    topics: ["trade"],
    alsoReportedBy: [],
    acceptedAt: now,
    ...overrides,
  };
}
