import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { TOPIC_IDS } from "./topicIds.js";
import { FEED_LANGUAGES, type FeedConfig } from "./types.js";

export { FEED_LANGUAGES };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The schema of one feed as written in FEEDS_FILE, or as an admin adds it at run time. Parsing
 * fills the defaults (`defaultTopics: []`, `enabled: true`); unknown fields are errors, so a typo
 * such as `langauge` is caught instead of ignored.
 */
export const feedEntrySchema = z.strictObject({
  id: z
    .string({ error: "id is missing: give a short slug such as gazeta-ru" })
    .trim()
    .max(40, "id is longer than 40 characters: ids go into Telegram buttons, keep them short")
    .regex(SLUG, "id must be a slug of lower-case letters, digits and single hyphens, e.g. gazeta-ru"),
  url: z
    .string({ error: "url is missing: give the feed's address, e.g. https://kun.uz/news/rss" })
    .trim()
    .refine(isHttpUrl, "url must be an http(s) address of the feed itself, e.g. https://kun.uz/news/rss"),
  outlet: z
    .string({ error: 'outlet is missing: give the display name, e.g. "Gazeta.uz"' })
    .trim()
    .min(1, 'outlet is empty: give the display name, e.g. "Gazeta.uz"')
    .max(60, "outlet is longer than 60 characters"),
  language: z.enum(FEED_LANGUAGES, {
    error: (issue) =>
      `language ${issue.input === undefined ? "is missing" : `"${String(issue.input)}" is not known`}: use one of ${FEED_LANGUAGES.join(", ")}` +
      (issue.input === "uz"
        ? ' (for Uzbek say the script: "uz-Latn" for oʻzbekcha, "uz-Cyrl" for ўзбекча)'
        : ""),
  }),
  defaultTopics: z
    .array(
      z.enum(TOPIC_IDS, {
        error: (issue) => `"${String(issue.input)}" is not a topic: use any of ${TOPIC_IDS.join(", ")}`,
      }),
      { error: 'defaultTopics must be a list, e.g. ["trade", "energy"]' },
    )
    .default([]),
  enabled: z.boolean({ error: "enabled must be true or false" }).default(true),
});

/** One feed entry after validation and defaults. */
export type FeedEntry = z.infer<typeof feedEntrySchema>;

/** Raised with every problem in a feed list, each naming the file, the feed and the field. */
export class FeedListError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid feed list ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "FeedListError";
  }
}

/**
 * Reads and validates a feed list (JSON, or YAML when the name ends in .yaml/.yml): either a
 * list of feeds or `{feeds: [...]}`. Returns the enabled feeds only. Throws FeedListError listing
 * every problem (file, feed index and id, field, how to fix it), including duplicate ids.
 */
export function loadFeedList(path: string): FeedConfig[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : String(err);
    throw new FeedListError(path, [`${reason}: set FEEDS_FILE to a JSON or YAML feed list`]);
  }
  const yaml = /\.ya?ml$/i.test(extname(path));
  return parseFeedList(text, path, yaml ? "yaml" : "json")
    .filter((feed) => feed.enabled)
    .map(({ enabled: _enabled, ...feed }) => feed);
}

/**
 * Validates the text of a feed list; `file` only names it in errors. Returns every entry,
 * disabled ones included. Throws FeedListError.
 */
export function parseFeedList(text: string, file: string, syntax: "json" | "yaml"): FeedEntry[] {
  let data: unknown;
  try {
    data = syntax === "yaml" ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new FeedListError(file, [`not valid ${syntax.toUpperCase()}: ${message}`]);
  }
  const list =
    data && typeof data === "object" && !Array.isArray(data) && "feeds" in data
      ? (data as { feeds: unknown }).feeds
      : data;
  if (!Array.isArray(list)) {
    throw new FeedListError(file, [
      'the file must hold a list of feeds (or {"feeds": [...]}), each like {"id": "kun-uz", "url": "https://kun.uz/news/rss", "outlet": "Kun.uz", "language": "uz-Latn"}',
    ]);
  }

  const problems: string[] = [];
  const feeds: FeedEntry[] = [];
  const firstIndexOfId = new Map<string, number>();
  list.forEach((entry, index) => {
    const rawId = entry && typeof entry === "object" ? (entry as { id?: unknown }).id : undefined;
    const label = `feed #${index + 1}${typeof rawId === "string" && rawId ? ` ("${rawId}")` : ""}`;
    const result = feedEntrySchema.safeParse(entry);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`${label}: ${describeIssue(issue)}`);
      return;
    }
    const seen = firstIndexOfId.get(result.data.id);
    if (seen !== undefined) {
      problems.push(
        `${label}: id "${result.data.id}" is already used by feed #${seen + 1}: ids must be unique`,
      );
      return;
    }
    firstIndexOfId.set(result.data.id, index);
    feeds.push(result.data);
  });
  if (problems.length > 0) throw new FeedListError(file, problems);
  return feeds;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(feedEntrySchema.shape).join(", ");
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}: the fields are ${known}`;
  }
  if (issue.path.length === 0 && issue.code === "invalid_type") {
    return 'each feed must be an object like {"id": "kun-uz", "url": "https://kun.uz/news/rss", "outlet": "Kun.uz", "language": "uz-Latn"}';
  }
  const field = issue.path.map(String).join(".");
  // Most messages already start with the field name; an array element's needs its position.
  return issue.message.startsWith(String(issue.path[0])) ? issue.message : `${field}: ${issue.message}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}
