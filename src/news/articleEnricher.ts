/**
 * The poll cycle's optional reading of article pages (ARTICLE_FETCH): for a story that passed
 * the relevance filter, the page's main text feeds the topic tagger and dedupe, and its og:image
 * fills a story that has no image of its own.
 *
 * Bounded so it can never hold up a poll: at most `perCycle` pages a cycle, each within
 * `timeoutMs`, all of a cycle's pages within `cycleBudgetMs` of the first, at most
 * MAX_PAGES_AT_ONCE at a time. A page that fails, or is not read for lack of allowance, changes
 * nothing: the story goes on as the feed told it, and the page is counted with its reason.
 */
import pLimit from "p-limit";
import type { Logger } from "../logger.js";
import {
  ARTICLE_PAGE_FAILURES,
  type ArticlePageOptions,
  type ArticlePageResult,
  fetchArticlePage,
} from "./articlePage.js";
import type { TopicId } from "./topicIds.js";
import type { Classification } from "./types.js";

/**
 * What happened to one relevant story's page: `read`, a failure of articlePage.ts, `over-budget`
 * (the cycle's allowance of pages or time was spent) or `feed-has-text` (the feed already gave
 * the full text, so the page was not asked for). A closed list: the metrics label pages by it.
 */
export const ARTICLE_PAGE_OUTCOMES = [
  "read",
  ...ARTICLE_PAGE_FAILURES,
  "over-budget",
  "feed-has-text",
] as const;
export type ArticlePageOutcome = (typeof ARTICLE_PAGE_OUTCOMES)[number];

export type ArticleReaderOptions = {
  /**
   * Pages read per cycle at most (ARTICLE_FETCH_PER_CYCLE).
   * @defaultValue 5
   */
  perCycle: number;
  /**
   * Deadline of one page, whole request (ARTICLE_FETCH_TIMEOUT_MS).
   * @defaultValue 8000
   */
  timeoutMs: number;
  /**
   * Every page of one cycle ends within this long of the cycle's first page read.
   * @defaultValue 2 × timeoutMs
   */
  cycleBudgetMs?: number;
  /**
   * Body cap of one page.
   * @defaultValue DEFAULT_ARTICLE_MAX_BYTES (2 MB)
   */
  maxBytes?: number;
};

export const DEFAULT_ARTICLE_READER_OPTIONS: ArticleReaderOptions = { perCycle: 5, timeoutMs: 8_000 };

/** Pages fetched at once; one cycle asks for a handful, so two is plenty. */
export const MAX_PAGES_AT_ONCE = 2;
/** A feed text this long is the article already (content:encoded of a full-text feed). */
export const FEED_TEXT_ENOUGH_CHARS = 1_500;
/** Less time than this (or half a page's timeout) left in the cycle's budget is not worth a page. */
const MIN_PAGE_TIME_MS = 500;

/** Fetches and extracts one page (src/news/articlePage.ts in the bot). Must not throw. */
export type FetchArticlePageFn = (url: string, options: ArticlePageOptions) => Promise<ArticlePageResult>;

/** The page's contribution to a story. */
export type ArticleRead = { text: string; image: string | undefined };

/** One cycle's allowance of page reads. */
export type CycleArticleReads = {
  /**
   * The page of one relevant story, or undefined when it was not read (failed, over the
   * allowance, or the feed's own text is already the article). Never throws; resolves within
   * the page's deadline even if the fetch function hangs.
   */
  read(item: { link: string; content?: string }): Promise<ArticleRead | undefined>;
  /** Pages of this cycle so far, by outcome (only outcomes that happened). */
  counts(): Partial<Record<ArticlePageOutcome, number>>;
};

/** Hands out one allowance per poll cycle. */
export type ArticleReader = {
  /** Starts a cycle's allowance; `signal` (the cycle's) cancels its pages in flight. */
  forCycle(signal?: AbortSignal): CycleArticleReads;
};

/**
 * The article reader of the bot: `options` from the config, `fetchPage` replaceable in tests.
 */
export function createArticleReader(
  options: ArticleReaderOptions,
  deps: { logger: Logger; fetchPage?: FetchArticlePageFn },
): ArticleReader {
  const fetchPage = deps.fetchPage ?? fetchArticlePage;
  const cycleBudgetMs = options.cycleBudgetMs ?? 2 * options.timeoutMs;
  return {
    forCycle(signal) {
      const counts: Partial<Record<ArticlePageOutcome, number>> = {};
      const count = (outcome: ArticlePageOutcome) => {
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      };
      const limit = pLimit(MAX_PAGES_AT_ONCE);
      let started = 0;
      let deadlineAt: number | undefined;

      const readOne = async (link: string): Promise<ArticleRead | undefined> => {
        const left = (deadlineAt ?? Number.POSITIVE_INFINITY) - Date.now();
        if (left < Math.min(MIN_PAGE_TIME_MS, options.timeoutMs / 2) || signal?.aborted) {
          count("over-budget");
          return undefined;
        }
        const timeoutMs = Math.min(options.timeoutMs, left);
        const result = await guarded(fetchPage, link, {
          timeoutMs,
          ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
          ...(signal ? { signal } : {}),
        });
        if (!result.ok) {
          count(result.reason);
          deps.logger.info({ link, reason: result.reason, detail: result.detail }, "article page not read");
          return undefined;
        }
        count("read");
        deps.logger.debug({ link, chars: result.text.length, image: result.image }, "article page read");
        return { text: result.text, image: result.image };
      };

      return {
        async read(item) {
          if ((item.content?.length ?? 0) >= FEED_TEXT_ENOUGH_CHARS) {
            count("feed-has-text");
            return undefined;
          }
          // The allowance is taken at the call, so pages queued behind the limit cannot overshoot it.
          if (started >= options.perCycle) {
            count("over-budget");
            return undefined;
          }
          started++;
          deadlineAt ??= Date.now() + cycleBudgetMs;
          return limit(() => readOne(item.link));
        },
        counts: () => ({ ...counts }),
      };
    },
  };
}

/**
 * The injected fetch with a deadline of its own: fetchArticlePage enforces the timeout, but a
 * cycle must not hang on any implementation, and must survive one that throws.
 */
async function guarded(
  fetchPage: FetchArticlePageFn,
  link: string,
  options: ArticlePageOptions,
): Promise<ArticlePageResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ArticlePageResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: "timeout", detail: `no page within ${options.timeoutMs} ms` }),
      options.timeoutMs + 1_000,
    );
  });
  try {
    return await Promise.race([fetchPage(link, options), late]);
  } catch (err) {
    return { ok: false, reason: "network", detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The topics of a story whose page was read: those of the classification with the page text
 * when it is still relevant (it must be: relevance does not read the text), else the ones the
 * feed's text gave. Pure.
 */
export function topicsWithArticle(fromFeed: readonly TopicId[], withPage: Classification): TopicId[] {
  return withPage.relevant && withPage.topics.length > 0 ? withPage.topics : [...fromFeed];
}
