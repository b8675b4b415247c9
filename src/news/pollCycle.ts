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
import { DROP_REASON_TEXT } from "./distinctItems.js";
import { applyPollOutcome, type FeedPollOutcome, type FeedState, shouldSkip } from "./feedHealth.js";
import type { FeedCache, FeedFetchResult } from "./fetchFeed.js";
import type { FeedConfig } from "./types.js";

export * from "./pollCycleTypes.js";

import { judgeItems } from "./judgeItems.js";
import type {
  CycleContext,
  CycleReport,
  FeedOutcome,
  PollCycleDeps,
  PollCycleOptions,
} from "./pollCycleTypes.js";
import { DEFAULT_POLL_OPTIONS } from "./pollCycleTypes.js";

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
