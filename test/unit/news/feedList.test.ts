import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_FEEDS_FILE } from "../../../src/config.js";
import {
  FEED_LANGUAGES,
  FeedListError,
  feedEntrySchema,
  loadFeedList,
  parseFeedList,
} from "../../../src/news/feedList.js";

const dir = mkdtempSync(join(tmpdir(), "kzuz-feeds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const KUN = { id: "kun-uz", url: "https://kun.uz/news/rss", outlet: "Kun.uz", language: "uz-Latn" };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof FeedListError) return err.problems;
    throw err;
  }
  throw new Error("expected a FeedListError");
}

describe("the bundled data/feeds.json", () => {
  const feeds = loadFeedList(DEFAULT_FEEDS_FILE);

  it("validates and lists outlets of both countries", () => {
    expect(feeds.length).toBeGreaterThanOrEqual(20);
    const outlets = new Set(feeds.map((f) => f.outlet));
    for (const outlet of [
      "Gazeta.uz",
      "Kun.uz",
      "Daryo",
      "UzA",
      "Tengrinews",
      "Kursiv",
      "The Astana Times",
    ]) {
      expect(outlets).toContain(outlet);
    }
  });

  it("covers every language", () => {
    expect(new Set(feeds.map((f) => f.language))).toEqual(new Set(FEED_LANGUAGES));
  });

  it("uses https everywhere", () => {
    for (const feed of feeds) expect(feed.url, feed.id).toMatch(/^https:\/\//);
  });
});

describe("loadFeedList", () => {
  it("reads JSON and fills defaults", () => {
    const path = write("feeds.json", JSON.stringify([KUN]));
    expect(loadFeedList(path)).toEqual([{ ...KUN, defaultTopics: [] }]);
  });

  it("reads YAML in the {feeds: [...]} shape and leaves out disabled feeds", () => {
    const path = write(
      "feeds.yaml",
      [
        "feeds:",
        "  - id: kun-uz",
        "    url: https://kun.uz/news/rss",
        "    outlet: Kun.uz",
        "    language: uz-Latn",
        "    defaultTopics: [trade, transport]",
        "  - id: old-feed",
        "    url: https://old.example.kz/rss",
        "    outlet: Old",
        "    language: kk",
        "    enabled: false",
      ].join("\n"),
    );
    expect(loadFeedList(path)).toEqual([{ ...KUN, defaultTopics: ["trade", "transport"] }]);
  });

  it("says when the file is missing", () => {
    const problems = problemsOf(() => loadFeedList(join(dir, "nope.json")));
    expect(problems[0]).toMatch(/does not exist: set FEEDS_FILE/);
  });

  it("names the file in the error message", () => {
    const path = write("broken.json", "[{");
    expect(() => loadFeedList(path)).toThrow(
      new RegExp(`invalid feed list ${path.replace(/[.\\]/g, "\\$&")}`),
    );
  });
});

describe("parseFeedList errors", () => {
  const parse = (value: unknown) => () => parseFeedList(JSON.stringify(value), "feeds.json", "json");

  it("rejects invalid JSON and YAML", () => {
    expect(problemsOf(() => parseFeedList("[{", "f.json", "json"))[0]).toMatch(/^not valid JSON: /);
    expect(problemsOf(() => parseFeedList("a: [b", "f.yaml", "yaml"))[0]).toMatch(/^not valid YAML: /);
  });

  it("wants a list", () => {
    expect(problemsOf(parse({ id: "x" }))[0]).toMatch(/must hold a list of feeds/);
  });

  it("names the feed and the field, with how to fix it", () => {
    expect(problemsOf(parse([KUN, { ...KUN, id: "kun-ru", url: "ftp://kun.uz/rss" }]))).toEqual([
      'feed #2 ("kun-ru"): url must be an http(s) address of the feed itself, e.g. https://kun.uz/news/rss',
    ]);
  });

  it("explains the Uzbek scripts when the language is just 'uz'", () => {
    const [problem] = problemsOf(parse([{ ...KUN, language: "uz" }]));
    expect(problem).toMatch(
      /^feed #1 \("kun-uz"\): language "uz" is not known: use one of ru, kk, uz-Latn, uz-Cyrl, en/,
    );
    expect(problem).toMatch(/"uz-Latn" for oʻzbekcha, "uz-Cyrl" for ўзбекча/);
  });

  it("catches typos in field names", () => {
    const { language, ...rest } = KUN;
    const problems = problemsOf(parse([{ ...rest, langauge: language }]));
    expect(problems).toContain(
      'feed #1 ("kun-uz"): language is missing: use one of ru, kk, uz-Latn, uz-Cyrl, en',
    );
    expect(problems).toContain(
      'feed #1 ("kun-uz"): unknown field(s) "langauge": the fields are id, url, outlet, language, defaultTopics, enabled',
    );
  });

  it("rejects a bad slug, an unknown topic and a non-boolean enabled", () => {
    const problems = problemsOf(
      parse([{ ...KUN, id: "Kun UZ", defaultTopics: ["trade", "gossip"], enabled: "yes" }]),
    );
    expect(problems).toEqual([
      'feed #1 ("Kun UZ"): id must be a slug of lower-case letters, digits and single hyphens, e.g. gazeta-ru',
      expect.stringMatching(
        /^feed #1 \("Kun UZ"\): defaultTopics\.1: "gossip" is not a topic: use any of diplomacy, /,
      ),
      'feed #1 ("Kun UZ"): enabled must be true or false',
    ]);
  });

  it("rejects duplicate ids, pointing at the first use", () => {
    expect(problemsOf(parse([KUN, { ...KUN, url: "https://kun.uz/news/rss?lang=ru" }]))).toEqual([
      'feed #2 ("kun-uz"): id "kun-uz" is already used by feed #1: ids must be unique',
    ]);
  });

  it("lists every problem at once", () => {
    const problems = problemsOf(parse([{ id: "a" }, "just a string", { ...KUN, outlet: "" }]));
    expect(problems.filter((p) => p.startsWith('feed #1 ("a")'))).toHaveLength(3);
    expect(problems).toContain(
      'feed #2: each feed must be an object like {"id": "kun-uz", "url": "https://kun.uz/news/rss", "outlet": "Kun.uz", "language": "uz-Latn"}',
    );
    expect(problems).toContain(
      'feed #3 ("kun-uz"): outlet is empty: give the display name, e.g. "Gazeta.uz"',
    );
  });
});

describe("feedEntrySchema", () => {
  it("validates one feed added at run time", () => {
    expect(feedEntrySchema.parse({ ...KUN, url: " https://kun.uz/news/rss " })).toEqual({
      ...KUN,
      defaultTopics: [],
      enabled: true,
    });
    expect(feedEntrySchema.safeParse({ ...KUN, url: "kun.uz/rss" }).success).toBe(false);
  });
});
