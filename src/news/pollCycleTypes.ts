/**
 * The poll cycle's contract: what it needs (`PollCycleDeps`: every I/O as a small interface),
 * how it is tuned, and the report it returns. Shared by the cycle, the item judging and preview.
 */
import type { Logger } from "../logger.js";
import type { ArticlePageOutcome, ArticleReader, CycleArticleReads } from "./articleEnricher.js";
import type { ClassifiableItem } from "./classify.js";
import { DEFAULT_DEDUPE_OPTIONS, type StoryFingerprint } from "./dedupe.js";
import type { DropReason } from "./distinctItems.js";
import type { FeedHealthStore } from "./feedHealth.js";
import type { FeedCache, FeedFetchOptions, FeedFetchResult } from "./fetchFeed.js";
import type { AlsoReported, StoryStore } from "./storyStore.js";
import type { Classification, FeedConfig, Story } from "./types.js";

/**
 * Where accepted stories go: the delivery engine implements it (queue a message per subscriber),
 * `preview` collects them to print. Called once per new story, in acceptance order, after the
 * story is stored. A rejection is logged and counted; the story stays stored.
 */
export type StorySink = {
  accept(story: Story): Promise<void>;
  /**
   * A story already accepted was told again by another outlet (`report`, already stored on the
   * story): a reader of only that outlet's language may now receive it. Optional, so a sink
   * without story languages ignores merges.
   */
  acceptVersion?(storyId: string, report: AlsoReported): Promise<void>;
};

/** Fetches one feed (src/news/fetchFeed.ts in the bot). Must not throw; a throw counts as a failure. */
export type FetchFeedFn = (
  feed: FeedConfig,
  cache: FeedCache,
  options: FeedFetchOptions,
) => Promise<FeedFetchResult>;

/** Judges one item (src/news/classify.ts in the bot). Pure. */
export type ClassifyFn = (input: ClassifiableItem) => Classification;

export type PollCycleOptions = {
  /** Feeds fetched at once. */
  concurrency: number;
  /** Deadline of one feed's fetch. */
  timeoutMs: number;
  /** Body cap of one feed. */
  maxBytes: number;
  /**
   * On the first poll of a feed (no health record yet), items older than this are dropped so a
   * newly added feed does not flood subscribers with its archive. Undefined: no window.
   */
  backlogHours: number | undefined;
  /** Stories published further apart than this are never merged. */
  dedupeWindowHours: number;
  /** The day boundary of the "items today" counter. */
  timeZone: string;
  /** Keep every rejected or merged item in the report (for `preview --explain`). */
  explain: boolean;
};

export const DEFAULT_POLL_OPTIONS: PollCycleOptions = {
  concurrency: 8,
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  backlogHours: 24,
  dedupeWindowHours: DEFAULT_DEDUPE_OPTIONS.windowHours,
  timeZone: "Asia/Almaty",
  explain: false,
};

export type PollCycleDeps = {
  /** The feeds to poll this cycle (FEEDS_FILE plus run-time overrides, resolved by the caller). */
  feeds: readonly FeedConfig[];
  fetchFeed: FetchFeedFn;
  classify: ClassifyFn;
  store: StoryStore;
  health: FeedHealthStore;
  sink: StorySink;
  logger: Logger;
  /** Reads the article pages of relevant new stories (ARTICLE_FETCH); absent: the feed's text only. */
  articles?: ArticleReader;
  options?: Partial<PollCycleOptions>;
  /** Aborts the cycle: feeds not yet started are left alone, running fetches are cancelled. */
  signal?: AbortSignal;
};

export type FeedOutcomeStatus = "ok" | "not-modified" | "failed" | "backing-off" | "aborted";

/** What happened to one feed in a cycle. */
export type FeedOutcome = {
  feedId: string;
  outlet: string;
  status: FeedOutcomeStatus;
  /** Why it failed (or why it is backing off). */
  reason?: string;
  httpStatus?: number;
  /** Items in the feed / never seen before / accepted as new stories / dropped / merged into a story. */
  items: number;
  newItems: number;
  accepted: number;
  rejected: number;
  merged: number;
  /** Items of the document the reader did not pass on (see `droppedReasons` of the report). */
  dropped?: number;
  durationMs: number;
  /** When the feed will be polled again, if it is backing off. */
  backoffUntil?: string;
};

/** One item that did not become a story, for `--explain`. */
export type ItemDecision = {
  feedId: string;
  outlet: string;
  itemId: string;
  title: string;
  link: string;
  published: string;
  /**
   * rejected: judged and not taken; merged: the same event as a stored story; dropped: never
   * judged, the reader could not pass it on; renamed: kept, but under a new id because another
   * item of the same document had the same one.
   */
  decision: "rejected" | "merged" | "dropped" | "renamed";
  reason: string;
  /** For a merge: the story it was merged into. */
  storyId?: string;
};

export type CycleReport = {
  startedAt: string;
  durationMs: number;
  feeds: FeedOutcome[];
  totals: {
    feeds: number;
    fetched: number;
    notModified: number;
    failed: number;
    backingOff: number;
    items: number;
    newItems: number;
    accepted: number;
    rejected: number;
    merged: number;
    /** Items the reader dropped (absent in reports from before drops were counted). */
    dropped?: number;
    sinkFailures: number;
  };
  /** Rejected items counted by reason. */
  rejectionReasons: Record<string, number>;
  /** Items the reader dropped, counted by reason (a closed list: DROP_REASONS). */
  droppedReasons?: Partial<Record<DropReason, number>>;
  /** Article pages of relevant stories by outcome, when the cycle had an article reader. */
  articlePages?: Partial<Record<ArticlePageOutcome, number>>;
  /** Ids of the stories accepted this cycle, in order. */
  acceptedStoryIds: string[];
  /** Every rejected or merged item, only with `options.explain`. */
  decisions: ItemDecision[];
};

/** What one cycle carries between its feeds and the judging of their items. */
export type CycleContext = {
  deps: PollCycleDeps;
  options: PollCycleOptions;
  now: Date;
  report: CycleReport;
  /** Fingerprints of recent stories, growing as this cycle accepts stories. */
  recent: StoryFingerprint[];
  serially: <T>(task: () => Promise<T>) => Promise<T>;
  /** This cycle's allowance of article pages, when ARTICLE_FETCH is on. */
  articles: CycleArticleReads | undefined;
};

export const BACKLOG_REASON = "older than the backlog window on the first poll of a new feed";
