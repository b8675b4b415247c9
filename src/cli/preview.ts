/**
 * `npm run preview` / `npx kzuz-news-bot preview`: runs the news pipeline once, without Telegram
 * and without Redis, and prints the stories the bot would send. For checking a new feed, a
 * vocabulary change or a classifier change before they reach subscribers.
 */
import { readFileSync, statSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { z } from "zod";
import { ConfigError, loadConfig } from "../config.js";
import { errorText } from "../errorText.js";
import { classifyItem } from "../news/classify.js";
import { MemoryFeedHealthStore } from "../news/feedHealth.js";
import { FeedListError, loadFeedList } from "../news/feedList.js";
import { type FeedFetchResult, fetchFeed, readFeedBody } from "../news/fetchFeed.js";
import { type CycleReport, type FetchFeedFn, type ItemDecision, runPollCycle } from "../news/pollCycle.js";
import { MemoryStoryStore } from "../news/storyStore.js";
import { explainStoryTopics } from "../news/topics.js";
import { FEED_LANGUAGES, type FeedConfig, type FeedLanguage, type Story } from "../news/types.js";

const USAGE = `Usage: kzuz-news-bot preview [options]

Runs the news pipeline once on the configured feeds (FEEDS_FILE) or on the given ones, without
Telegram and without Redis, and prints the stories that would be sent.

Options:
  --feed URL|FILE   a feed to read instead of FEEDS_FILE; repeat for several. A path is read from disk.
  --lang LANG       language of the --feed feeds: ru, kk, uz-Latn, uz-Cyrl, en, or auto (default:
                    guessed per item from its script and spelling)
  --since HOURS     only items published in the last HOURS hours (default: everything the feeds hold)
  --json            one JSON object per line: id, title, link, source, published, language, topics,
                    summary, alsoReportedBy
  --explain         also list the items that were dropped or merged, with the reason, and the
                    items kept under a new id because another item of the feed had the same one
  -h, --help        show this help

Exit codes: 0 done, 1 every feed failed, 2 bad options or configuration.`;

const flagsSchema = z.object({
  feed: z.array(z.string().trim().min(1, "--feed needs a URL or a file path")).default([]),
  lang: z
    .enum([...FEED_LANGUAGES, "auto"], {
      error: `--lang must be one of ${[...FEED_LANGUAGES, "auto"].join(", ")}`,
    })
    .default("auto"),
  since: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) {
        ctx.addIssue({
          code: "custom",
          message: "--since must be a positive number of hours, e.g. --since 24",
        });
        return z.NEVER;
      }
      return n;
    }),
  json: z.boolean().default(false),
  explain: z.boolean().default(false),
  help: z.boolean().default(false),
});

type Flags = z.infer<typeof flagsSchema>;

class UsageError extends Error {}

function parseFlags(argv: string[]): Flags {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        feed: { type: "string", multiple: true },
        lang: { type: "string" },
        since: { type: "string" },
        json: { type: "boolean" },
        explain: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new UsageError(errorText(err));
  }
  const result = flagsSchema.safeParse(values);
  if (!result.success) throw new UsageError(result.error.issues.map((i) => i.message).join("; "));
  return result.data;
}

/** A feed given on the command line: a URL to fetch, or a file whose bytes are read from disk. */
type CliFeed = { config: FeedConfig; file?: string };

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 30) || "feed"
  );
}

function cliFeeds(specs: readonly string[], lang: Flags["lang"]): CliFeed[] {
  // With "auto" the placeholder language is replaced per item once the text is known.
  const language: FeedLanguage = lang === "auto" ? "ru" : lang;
  return specs.map((spec, i) => {
    if (/^https?:\/\//i.test(spec)) {
      let host: string;
      try {
        host = new URL(spec).hostname.replace(/^www\./, "");
      } catch {
        throw new UsageError(`--feed ${spec} is not a valid URL`);
      }
      return {
        config: { id: `${i + 1}-${slug(host)}`, url: spec, outlet: host, language, defaultTopics: [] },
      };
    }
    const path = resolve(spec);
    try {
      if (!statSync(path).isFile()) throw new Error("not a file");
    } catch {
      throw new UsageError(`--feed ${spec}: no such file (give an http(s) URL or the path of a feed file)`);
    }
    const name = basename(path);
    return {
      config: {
        id: `${i + 1}-${slug(name)}`,
        url: `file://${path}`,
        outlet: name,
        language,
        defaultTopics: [],
      },
      file: path,
    };
  });
}

const UZBEK_CYRILLIC = /[ўҳЎҲ]/;
const KAZAKH_CYRILLIC = /[әіңғүұқөһӘІҢҒҮҰҚӨҺ]/;
const CYRILLIC = /[\u0400-\u04FF]/g;
const LATIN = /[A-Za-z]/g;
const UZBEK_LATIN = /\b(?:va|bilan|uchun|o['ʻ‘’`]zbekiston|qozog['ʻ‘’`]iston|yil|haqida)\b|[og]['ʻ‘’`][a-z]/i;

/** A best guess at an item's language from its script and a few telltale letters and words. */
export function guessLanguage(text: string): FeedLanguage {
  const cyrillic = text.match(CYRILLIC)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (cyrillic >= latin) {
    if (UZBEK_CYRILLIC.test(text)) return "uz-Cyrl";
    if (KAZAKH_CYRILLIC.test(text)) return "kk";
    return "ru";
  }
  return UZBEK_LATIN.test(text) ? "uz-Latn" : "en";
}

function contentTypeOf(path: string): string | null {
  const ext = extname(path).toLowerCase();
  return ext === ".xml" || ext === ".rss" || ext === ".atom" ? "application/xml" : null;
}

/** fetchFeed for URLs; for files, the same decode-parse-normalise path over the bytes on disk. */
function previewFetch(files: ReadonlyMap<string, string>, autoLanguage: boolean): FetchFeedFn {
  return async (feed, cache, options) => {
    const file = files.get(feed.id);
    let result: FeedFetchResult;
    if (file === undefined) {
      result = await fetchFeed(feed, cache, options);
    } else {
      let body: Buffer;
      try {
        body = readFileSync(file);
      } catch (err) {
        return { kind: "failed", reason: `cannot read ${file}: ${errorText(err)}`, retryable: false };
      }
      const read = await readFeedBody(feed, body, contentTypeOf(file), options.now);
      result = read.ok
        ? {
            kind: "ok",
            items: read.items,
            cache: {},
            encoding: read.encoding,
            format: read.format,
            dropped: read.dropped,
            renamed: read.renamed,
          }
        : { kind: "failed", reason: read.reason, retryable: read.retryable };
    }
    if (autoLanguage && result.kind === "ok") {
      result.items = result.items.map((item) => ({
        ...item,
        language: guessLanguage(`${item.title} ${item.summary}`),
      }));
    }
    return result;
  };
}

function storyJson(story: Story): Record<string, unknown> {
  return {
    id: story.id,
    title: story.title,
    link: story.link,
    source: story.outlet,
    published: story.published,
    language: story.language,
    topics: story.topics,
    summary: story.summary,
    alsoReportedBy: story.alsoReportedBy,
  };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function formatStory(story: Story): string {
  const when = `${story.published.replace("T", " ").slice(0, 16)} UTC`;
  const lines = [
    `● ${story.title}`,
    `  ${story.outlet} · ${when}${story.publishedEstimated ? " (first seen)" : ""} · ${story.language} · ${story.topics.map((t) => `#${t}`).join(" ")}`,
  ];
  if (story.summary) lines.push(`  ${shorten(story.summary, 300)}`);
  lines.push(`  ${story.link}`);
  for (const other of story.alsoReportedBy) lines.push(`  also reported by ${other.outlet}: ${other.link}`);
  return lines.join("\n");
}

const DECISION_MARK: Record<ItemDecision["decision"], string> = {
  merged: "≈",
  rejected: "✗",
  dropped: "∅",
  renamed: "⇄",
};

function formatDecision(d: ItemDecision): string {
  const mark = DECISION_MARK[d.decision];
  return `${mark} ${d.title || "(no title)"}\n    ${d.outlet} · ${d.reason}\n    ${d.link}`;
}

function summaryLine(report: CycleReport): string {
  const t = report.totals;
  const feeds = `${t.feeds} feed${t.feeds === 1 ? "" : "s"}`;
  const unread = t.dropped ? `, ${t.dropped} not passed on by the reader` : "";
  return `${t.accepted} stor${t.accepted === 1 ? "y" : "ies"} from ${feeds} (${t.items} items; ${t.rejected} dropped, ${t.merged} merged${unread}; ${t.failed} feed${t.failed === 1 ? "" : "s"} failed) in ${report.durationMs} ms`;
}

/** Runs the preview; returns the process exit code. Output goes to the given streams. */
export async function runPreview(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  err: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  let flags: Flags;
  let feeds: CliFeed[];
  try {
    flags = parseFlags(argv);
    if (flags.help) {
      out(USAGE);
      return 0;
    }
    if (flags.feed.length > 0) {
      feeds = cliFeeds(flags.feed, flags.lang);
    } else {
      // Only the feed list is needed: no BOT_TOKEN, and Redis settings are never used.
      const config = loadConfig();
      feeds = loadFeedList(config.feedsFile).map((config) => ({ config }));
      if (feeds.length === 0) throw new UsageError(`no enabled feeds in ${config.feedsFile}`);
    }
  } catch (e) {
    if (e instanceof UsageError) err(`preview: ${e.message}\nRun with --help to see the options.`);
    else if (e instanceof ConfigError || e instanceof FeedListError) err(`preview: ${e.message}`);
    else throw e;
    return 2;
  }

  const store = new MemoryStoryStore();
  const accepted: string[] = [];
  const files = new Map(feeds.flatMap((f) => (f.file ? [[f.config.id, f.file] as const] : [])));
  const report = await runPollCycle(
    {
      feeds: feeds.map((f) => f.config),
      fetchFeed: previewFetch(files, flags.feed.length > 0 && flags.lang === "auto"),
      classify: classifyItem,
      store,
      health: new MemoryFeedHealthStore(),
      sink: {
        async accept(story) {
          accepted.push(story.id);
        },
      },
      // Stories go to stdout; the pipeline's own logs would only get in the way.
      logger: pino({ level: "silent" }),
      options: { backlogHours: flags.since, explain: true },
    },
    new Date(),
  );

  const stories: Story[] = [];
  for (const id of accepted) {
    const story = await store.getStory(id);
    if (story) stories.push(story);
  }
  // --explain: each topic with the words that earned it, from the tagger itself.
  const topicEvidence = (story: Story) =>
    explainStoryTopics(story, feeds.find((f) => f.config.id === story.feedId)?.config.defaultTopics);
  if (flags.json) {
    for (const story of stories) {
      const accepted = { decision: "accepted", ...storyJson(story), topicEvidence: topicEvidence(story) };
      out(JSON.stringify(flags.explain ? accepted : storyJson(story)));
    }
    if (flags.explain) {
      for (const d of report.decisions) {
        out(
          JSON.stringify({
            decision: d.decision,
            id: d.itemId,
            title: d.title,
            link: d.link,
            source: d.outlet,
            published: d.published,
            reason: d.reason,
            ...(d.storyId ? { mergedInto: d.storyId } : {}),
          }),
        );
      }
    }
  } else {
    for (const story of stories) {
      out(`${formatStory(story)}${flags.explain ? `\n  topics: ${topicEvidence(story)}` : ""}\n`);
    }
    if (stories.length === 0) out("No story would be sent.\n");
    if (flags.explain && report.decisions.length > 0) {
      out("Dropped or merged:");
      for (const d of report.decisions) out(formatDecision(d));
      out("");
    }
  }
  for (const feed of report.feeds) {
    if (feed.status === "failed")
      err(`! ${feed.feedId} (${feed.outlet}) failed: ${feed.reason ?? "unknown reason"}`);
  }
  err(summaryLine(report));
  const allFailed = report.feeds.length > 0 && report.feeds.every((f) => f.status === "failed");
  return allFailed ? 1 : 0;
}

// Run only as a program, not when imported by tests.
if (
  process.argv[1] &&
  resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, "") === import.meta.filename.replace(/\.[cm]?[jt]s$/, "")
) {
  runPreview(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`preview failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
