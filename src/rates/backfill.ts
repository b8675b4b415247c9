import pLimit from "p-limit";
import { errorText } from "../errorText.js";
import type { Logger } from "../logger.js";
import { withLock } from "../storage/lock.js";
import type { Redis } from "../storage/redis.js";
import { addDays } from "./dates.js";
import { fetchNbkRates } from "./nbkClient.js";
import type { RateHistory } from "./rateHistory.js";
import { checkAgainstPrevious } from "./sanity.js";
import type { OfficialRateSet } from "./types.js";

export type BackfillOptions = {
  history: RateHistory;
  nbkBaseUrl: string;
  logger: Logger;
  /** The last date to fill (ISO, usually today in Asia/Almaty). */
  today: string;
  /** How many days back from `today`, inclusive. Default 90: the longest chart. */
  days?: number;
  /** Requests in flight at once. Default 4: polite to NBK, still done in seconds. */
  concurrency?: number;
  /** Per request. Default 15 s. */
  requestTimeoutMs?: number;
  /** One retry for a transient failure; a day that still fails is left for the next run. */
  retryDelayMs?: number;
  maxDailyMove?: number;
  signal?: AbortSignal;
};

export type BackfillReport = {
  /** Dates fetched and stored now. */
  stored: string[];
  /** Dates already in history, or known to have no own rates: not asked. */
  skipped: number;
  /** Weekends and holidays found now (empty or carried-over answers). */
  noOwnSet: string[];
  /** Dates that could not be fetched or failed validation: retried on the next run. */
  failed: Array<{ date: string; reason: string }>;
};

/**
 * Fills the official history for the last `days` days, so charts work from the first start.
 * Idempotent and cheap to repeat: dates already stored or known to be days off are skipped, and
 * a failed day is only logged (the next run, or the daily job, picks it up). Never throws.
 *
 * Sets are checked against each other in date order with the same sanity bound as daily sets;
 * a set that jumps against its neighbour is not stored.
 */
export async function backfillRateHistory(options: BackfillOptions): Promise<BackfillReport> {
  const { history, today } = options;
  const days = options.days ?? 90;
  const log = options.logger.child({ module: "rates-backfill" });
  const from = addDays(today, -(days - 1));
  const report: BackfillReport = { stored: [], skipped: 0, noOwnSet: [], failed: [] };

  let known: Set<string>;
  try {
    known = new Set(await history.datesIn(from, today));
  } catch (err) {
    log.error({ err }, "cannot read rates history; backfill skipped");
    return { ...report, failed: [{ date: today, reason: "history unreadable" }] };
  }

  const wanted: string[] = [];
  for (let date = from; date <= today; date = addDays(date, 1)) {
    if (known.has(date) || (await history.hasNoOwnSet(date).catch(() => false))) report.skipped++;
    else wanted.push(date);
  }

  const limit = pLimit(options.concurrency ?? 4);
  const fetched: OfficialRateSet[] = [];
  await Promise.all(
    wanted.map((date) =>
      limit(async () => {
        if (options.signal?.aborted) {
          report.failed.push({ date, reason: "aborted" });
          return;
        }
        const answer = await fetchOnce(date, options);
        if (answer.kind === "ok") fetched.push(answer.set);
        else if (answer.kind === "empty" || answer.kind === "carried-over") {
          report.noOwnSet.push(date);
          await history.markNoOwnSet(date, today).catch(() => {});
        } else report.failed.push({ date, reason: answer.reason });
      }),
    ),
  );

  // Saved oldest first, so each set is compared with the latest one before it, stored or just saved.
  fetched.sort((a, b) => a.date.localeCompare(b.date));
  for (const set of fetched) {
    try {
      const previous = await history.latestBefore(set.date);
      const checked = checkAgainstPrevious(set, previous, {
        ...(options.maxDailyMove !== undefined ? { maxDailyMove: options.maxDailyMove } : {}),
      });
      if (checked.kind === "rejected") {
        report.failed.push({ date: set.date, reason: checked.reason });
        continue;
      }
      await history.save(checked.set);
      report.stored.push(set.date);
    } catch (err) {
      report.failed.push({ date: set.date, reason: errorText(err) });
    }
  }

  report.noOwnSet.sort();
  report.failed.sort((a, b) => a.date.localeCompare(b.date));
  const summary = {
    from,
    to: today,
    stored: report.stored.length,
    skipped: report.skipped,
    noOwnSet: report.noOwnSet.length,
    failed: report.failed.length,
  };
  if (report.failed.length > 0)
    log.warn({ ...summary, firstFailures: report.failed.slice(0, 5) }, "backfill done with gaps");
  else log.info(summary, "backfill done");
  return report;
}

async function fetchOnce(date: string, options: BackfillOptions) {
  const request = () =>
    fetchNbkRates(options.nbkBaseUrl, date, {
      timeoutMs: options.requestTimeoutMs ?? 15_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  const first = await request();
  const transient = (first.kind === "failed" && first.retryable) || first.kind === "invalid";
  if (!transient || options.signal?.aborted) return first;
  await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 2000));
  return request();
}

/**
 * Runs the backfill in the background once per cluster (under a Redis lock), so /rates has a
 * chart from the first day whichever instance starts first. Never rejects: a failure only
 * means charts fill as days pass.
 */
export function backfillOncePerCluster(
  options: Omit<BackfillOptions, "signal"> & { redis: Redis; lockKey: string; signal: AbortSignal },
): Promise<void> {
  const { redis, lockKey, logger, signal: stop, ...work } = options;
  return withLock(
    redis,
    lockKey,
    120_000,
    async (signal) => {
      const report = await backfillRateHistory({ ...work, logger, signal: AbortSignal.any([signal, stop]) });
      logger.info(
        { stored: report.stored.length, skipped: report.skipped, failed: report.failed.length },
        "rates history backfilled",
      );
    },
    logger,
  ).then(
    () => undefined,
    (err: unknown) => logger.warn({ err }, "rates backfill failed; charts fill as days pass"),
  );
}
