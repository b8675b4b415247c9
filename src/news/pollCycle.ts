/**
 * One poll cycle of the news pipeline: fetch every due feed, keep the new relevant items, merge
 * the ones that retell a recent story, and hand each new story to the delivery engine.
 *
 * Every I/O is a small interface in `PollCycleDeps`, so the same cycle runs against Redis in the
 * bot and against memory in `preview`. A feed that fails, hangs or sends 50 MB is a line in the
 * report and a health record, never an exception that stops the other feeds.
 */
import pLimit from "p-limit";
import { errorText } from "../errorText.js";
import type { Logger } from "../logger.js";
import {
  type ArticlePageOutcome,
  type ArticleReader,
  type CycleArticleReads,
  topicsWithArticle,
} from "./articleEnricher.js";
import type { ClassifiableItem } from "./classify.js";
import { DEFAULT_DEDUPE_OPTIONS, findDuplicate, fingerprintStory, type StoryFingerprint } from "./dedupe.js";
import { DROP_REASON_TEXT, type DropReason } from "./distinctItems.js";
import {
  applyPollOutcome,
  type FeedHealthStore,
  type FeedPollOutcome,
  type FeedState,
  shouldSkip,
} from "./feedHealth.js";
import type { FeedCache, FeedFetchOptions, FeedFetchResult } from "./fetchFeed.js";
import type { AlsoReported, StoryStore } from "./storyStore.js";
import type { Classification, FeedConfig, NormalisedItem, Story } from "./types.js";

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

export const BACKLOG_REASON = "older than the backlog window on the first poll of a new feed";

/**
 * Runs one cycle at `now`. Guarantees: never throws for a feed's failure (it becomes that feed's
 * outcome and health record); each item is judged at most once across cycles and processes (the
 * store's `markSeen` claims it), and an item whose judging failed on our side (store or classifier
 * fault) is released to be judged next cycle; items are judged one at a time in a single queue, so
 * two feeds telling the same story in one cycle still merge; a feed backing off is not fetched; a
 * story is stored before the sink sees it. Throws only when the store cannot be read at the start.
 */
export async function runPollCycle(deps: PollCycleDeps, now: Date): Promise<CycleReport> {
  const options: PollCycleOptions = { ...DEFAULT_POLL_OPTIONS, ...deps.options };
  const started = performance.now();
  const { logger } = deps;
  const report: CycleReport = {
    startedAt: now.toISOString(),
    durationMs: 0,
    feeds: [],
    totals: {
      feeds: deps.feeds.length,
      fetched: 0,
      notModified: 0,
      failed: 0,
      backingOff: 0,
      items: 0,
      newItems: 0,
      accepted: 0,
      rejected: 0,
      merged: 0,
      dropped: 0,
      sinkFailures: 0,
    },
    rejectionReasons: {},
    droppedReasons: {},
    acceptedStoryIds: [],
    decisions: [],
  };

  const windowMs = options.dedupeWindowHours * 3_600_000;
  const [states, recent] = await Promise.all([
    deps.health.load(deps.feeds.map((f) => f.id)),
    deps.store.recentFingerprints(new Date(now.getTime() - windowMs)),
  ]);

  // Judging items is quick but awaits the store; one queue keeps dedupe decisions consistent.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };

  const articles = deps.articles?.forCycle(deps.signal);
  const context: CycleContext = { deps, options, now, report, recent, serially, articles };
  const limit = pLimit(Math.max(1, options.concurrency));
  report.feeds = await Promise.all(
    deps.feeds.map((feed) =>
      limit(() => pollOneFeed(context, feed, states.get(feed.id) ?? { health: undefined, httpCache: {} })),
    ),
  );

  try {
    await deps.store.trim(now);
  } catch (err) {
    logger.warn({ err }, "could not trim the story history");
  }

  for (const outcome of report.feeds) {
    const t = report.totals;
    if (outcome.status === "ok") t.fetched++;
    else if (outcome.status === "not-modified") t.notModified++;
    else if (outcome.status === "failed") t.failed++;
    else if (outcome.status === "backing-off") t.backingOff++;
    t.items += outcome.items;
    t.newItems += outcome.newItems;
    t.accepted += outcome.accepted;
    t.rejected += outcome.rejected;
    t.merged += outcome.merged;
    t.dropped = (t.dropped ?? 0) + (outcome.dropped ?? 0);
  }
  if (articles) report.articlePages = articles.counts();
  report.durationMs = Math.round(performance.now() - started);
  logger.info({ ...report.totals, durationMs: report.durationMs }, "poll cycle done");
  return report;
}

type CycleContext = {
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

async function pollOneFeed(ctx: CycleContext, feed: FeedConfig, state: FeedState): Promise<FeedOutcome> {
  const { deps, options, now } = ctx;
  const started = performance.now();
  const outcome: FeedOutcome = {
    feedId: feed.id,
    outlet: feed.outlet,
    status: "ok",
    items: 0,
    newItems: 0,
    accepted: 0,
    rejected: 0,
    merged: 0,
    dropped: 0,
    durationMs: 0,
  };
  const finish = () => {
    outcome.durationMs = Math.round(performance.now() - started);
    return outcome;
  };

  if (deps.signal?.aborted) {
    outcome.status = "aborted";
    return finish();
  }
  if (shouldSkip(state.health, now)) {
    outcome.status = "backing-off";
    outcome.reason = state.health?.lastError ?? "backing off";
    if (state.health?.backoffUntil) outcome.backoffUntil = state.health.backoffUntil;
    return finish();
  }

  const result = await fetchGuarded(deps, feed, state, options, now);
  if (result.kind === "failed" && deps.signal?.aborted) {
    // Cancelled by shutdown or a lost lock: not the feed's fault, so no failure goes on its record.
    outcome.status = "aborted";
    outcome.reason = result.reason;
    return finish();
  }
  let pollOutcome: FeedPollOutcome;
  let httpCache: FeedCache | undefined;

  if (result.kind === "failed") {
    outcome.status = "failed";
    outcome.reason = result.reason;
    if (result.status !== undefined) outcome.httpStatus = result.status;
    pollOutcome = {
      kind: "failed",
      reason: result.reason,
      retryable: result.retryable,
      ...(result.status !== undefined ? { httpStatus: result.status } : {}),
    };
    deps.logger.warn({ feedId: feed.id, reason: result.reason, status: result.status }, "feed failed");
  } else if (result.kind === "not-modified") {
    outcome.status = "not-modified";
    outcome.httpStatus = 304;
    pollOutcome = { kind: "not-modified" };
  } else {
    outcome.httpStatus = 200;
    outcome.items = result.items.length;
    accountReaderDecisions(ctx, feed, result, outcome);
    try {
      await ctx.serially(() => judgeItems(ctx, feed, state, result.items, outcome));
      pollOutcome = { kind: "ok", newItems: outcome.newItems, httpStatus: 200 };
      httpCache = result.cache;
    } catch (err) {
      // The store or the classifier failed mid-way (Redis gone, a broken vocabulary file). The
      // unjudged items were released; keep the old HTTP cache so the next cycle reads the body
      // again instead of getting a 304, and tries them again.
      outcome.status = "failed";
      outcome.reason = `could not judge the items: ${errorText(err)}`;
      pollOutcome = { kind: "failed", reason: outcome.reason, retryable: true };
      deps.logger.error({ feedId: feed.id, err }, "feed items not judged");
    }
  }

  try {
    const health = applyPollOutcome(state.health, pollOutcome, now, { timeZone: options.timeZone });
    if (health.backoffUntil && outcome.status === "failed") outcome.backoffUntil = health.backoffUntil;
    await deps.health.save(feed.id, health, httpCache);
  } catch (err) {
    deps.logger.warn({ feedId: feed.id, err }, "could not save feed health");
  }
  return finish();
}

/**
 * Puts what the reader did not pass on (and the items it kept under a new id) in the report:
 * every dropped item is counted by reason, and listed with `explain`.
 */
function accountReaderDecisions(
  ctx: CycleContext,
  feed: FeedConfig,
  result: Extract<FeedFetchResult, { kind: "ok" }>,
  outcome: FeedOutcome,
): void {
  const { report, options } = ctx;
  const counts = report.droppedReasons ?? {};
  report.droppedReasons = counts;
  for (const dropped of result.dropped ?? []) {
    outcome.dropped = (outcome.dropped ?? 0) + 1;
    counts[dropped.reason] = (counts[dropped.reason] ?? 0) + 1;
    if (options.explain) {
      report.decisions.push({
        feedId: feed.id,
        outlet: feed.outlet,
        itemId: dropped.guid ?? "",
        title: dropped.title,
        link: dropped.link,
        published: "",
        decision: "dropped",
        reason: DROP_REASON_TEXT[dropped.reason],
      });
    }
  }
  if (!options.explain) return;
  for (const renamed of result.renamed ?? []) {
    report.decisions.push({
      feedId: feed.id,
      outlet: feed.outlet,
      itemId: renamed.id,
      title: renamed.title,
      link: renamed.link,
      published: "",
      decision: "renamed",
      reason: `another item of the feed has the same id ${renamed.sharedId}: both kept, this one as ${renamed.id}`,
    });
  }
}

/**
 * The injected fetch with a hard deadline of its own: fetchFeed already enforces the timeout, but
 * a cycle must not hang on any implementation, and must survive one that throws.
 */
async function fetchGuarded(
  deps: PollCycleDeps,
  feed: FeedConfig,
  state: FeedState,
  options: PollCycleOptions,
  now: Date,
): Promise<FeedFetchResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs + 1000);
  const signal = deps.signal ? AbortSignal.any([deadline, deps.signal]) : deadline;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<FeedFetchResult>((resolve) => {
    onAbort = () =>
      resolve({
        kind: "failed",
        reason: deps.signal?.aborted
          ? "the cycle was cancelled"
          : `the server did not answer in time (no complete answer within ${options.timeoutMs} ms)`,
        retryable: true,
      });
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([
      deps.fetchFeed(feed, state.httpCache, {
        timeoutMs: options.timeoutMs,
        maxBytes: options.maxBytes,
        now,
        signal,
      }),
      aborted,
    ]);
  } catch (err) {
    return { kind: "failed", reason: `unexpected error: ${errorText(err)}`, retryable: true };
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

/** Claims, filters, dedupes and accepts the items of one feed. Runs inside the cycle's queue. */
async function judgeItems(
  ctx: CycleContext,
  feed: FeedConfig,
  state: FeedState,
  items: readonly NormalisedItem[],
  outcome: FeedOutcome,
): Promise<void> {
  const { deps, options, now } = ctx;
  // The id an item had before ids preferred guids is claimed too: an item seen under it was
  // judged (and maybe delivered) by an earlier version, and must not be sent again.
  const legacyIds = items.flatMap((i) => (i.legacyId ? [i.legacyId] : []));
  const claimed = await deps.store.markSeen([...items.map((i) => i.id), ...legacyIds], now);
  // Items an earlier version never judged because another item of the feed had their old id:
  // judged now, but only if recent, so an upgrade does not flood subscribers with old stories.
  const swallowed = new Set<string>();
  const isNew = (i: NormalisedItem) => {
    if (!claimed.has(i.id)) return false;
    if (!i.legacyId || claimed.has(i.legacyId)) return true;
    if (i.legacyIdShared) swallowed.add(i.id);
    return i.legacyIdShared === true;
  };
  const fresh = new Set(items.filter(isNew).map((i) => i.id));
  outcome.newItems = fresh.size;
  if (fresh.size === 0) return;

  const firstPoll = state.health === undefined;
  const backlogStart =
    firstPoll && options.backlogHours !== undefined
      ? now.getTime() - options.backlogHours * 3_600_000
      : undefined;
  const swallowedStart =
    now.getTime() - (options.backlogHours ?? DEFAULT_POLL_OPTIONS.backlogHours ?? 24) * 3_600_000;
  // Oldest first, so stories reach subscribers in the order they happened.
  const candidates = items
    .filter((i) => fresh.has(i.id))
    .sort((a, b) => Date.parse(a.published) - Date.parse(b.published));

  let judged = 0;
  try {
    for (const item of candidates) {
      await judgeItem(ctx, feed, item, swallowed.has(item.id) ? swallowedStart : backlogStart, outcome);
      judged++;
    }
  } catch (err) {
    // An item must not be lost to a fault of ours: give back the claims not yet judged (only
    // those made now: a legacy id claimed by an earlier version stays claimed).
    const unjudged = candidates
      .slice(judged)
      .flatMap((i) => (i.legacyId ? [i.id, i.legacyId] : [i.id]))
      .filter((id) => claimed.has(id));
    await deps.store.unmarkSeen(unjudged).catch((e: unknown) => {
      deps.logger.error({ feedId: feed.id, err: e }, "could not release unjudged items");
    });
    throw err;
  }
}

/** Judges one new item: backlog, relevance, dedupe; then merges, or stores and hands it on. */
async function judgeItem(
  ctx: CycleContext,
  feed: FeedConfig,
  item: NormalisedItem,
  backlogStart: number | undefined,
  outcome: FeedOutcome,
): Promise<void> {
  const { deps, options, now, report } = ctx;
  const reject = (reason: string) => {
    outcome.rejected++;
    report.rejectionReasons[reason] = (report.rejectionReasons[reason] ?? 0) + 1;
    if (options.explain) report.decisions.push(decision(item, "rejected", reason));
  };

  // Without its own date an item's age is unknown; on a first poll that means "maybe old".
  if (backlogStart !== undefined && (item.publishedEstimated || Date.parse(item.published) < backlogStart)) {
    reject(BACKLOG_REASON);
    return;
  }
  const input = {
    title: item.title,
    summary: item.summary,
    categories: item.categories,
    language: item.language,
    content: item.content,
    defaultTopics: feed.defaultTopics,
  };
  const verdict = deps.classify(input);
  if (!verdict.relevant) {
    reject(verdict.reason);
    return;
  }

  // The article page (ARTICLE_FETCH): its text re-tags the topics and stands in for a stub lead
  // in dedupe, its og:image fills a missing image. A page not read changes nothing.
  const page = await ctx.articles?.read(item);
  const topics = page
    ? topicsWithArticle(verdict.topics, deps.classify({ ...input, content: page.text }))
    : verdict.topics;
  const image = !item.imageUrl && page?.image ? { imageUrl: page.image } : {};

  const fingerprint = fingerprintStory({ ...item, ...(page ? { content: page.text } : {}), topics });
  const match = findDuplicate(fingerprint, ctx.recent, now, { windowHours: options.dedupeWindowHours });
  const telling: AlsoReported = {
    outlet: item.outlet,
    link: item.link,
    language: item.language,
    title: item.title,
    summary: item.summary,
  };
  if (match && (await deps.store.addAlsoReported(match.storyId, telling))) {
    outcome.merged++;
    try {
      await deps.sink.acceptVersion?.(match.storyId, telling);
    } catch (err) {
      report.totals.sinkFailures++;
      deps.logger.error({ storyId: match.storyId, err }, "delivery did not take the version");
    }
    if (options.explain) {
      report.decisions.push({
        ...decision(
          item,
          "merged",
          `same event as story ${match.storyId} (similarity ${match.score.toFixed(2)})`,
        ),
        storyId: match.storyId,
      });
    }
    return;
  }

  // One millisecond apart within a cycle, so "newest first" keeps the order of acceptance.
  const acceptedAt = new Date(now.getTime() + report.acceptedStoryIds.length).toISOString();
  // The full text and the pre-upgrade id serve the judging only; the stored story stays lean.
  const { content: _content, legacyId: _legacyId, legacyIdShared: _shared, ...shown } = item;
  const story: Story = { ...shown, ...image, topics, alsoReportedBy: [], acceptedAt };
  await deps.store.saveStory(story, fingerprint);
  ctx.recent.push(fingerprint);
  outcome.accepted++;
  report.acceptedStoryIds.push(story.id);
  try {
    await deps.sink.accept(story);
  } catch (err) {
    report.totals.sinkFailures++;
    deps.logger.error({ storyId: story.id, err }, "delivery did not take the story");
  }
}

function decision(item: NormalisedItem, kind: ItemDecision["decision"], reason: string): ItemDecision {
  return {
    feedId: item.feedId,
    outlet: item.outlet,
    itemId: item.id,
    title: item.title,
    link: item.link,
    published: item.published,
    decision: kind,
    reason,
  };
}
