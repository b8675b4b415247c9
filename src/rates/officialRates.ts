import { setTimeout as sleep } from "node:timers/promises";
import { errorText } from "../errorText.js";
import type { Logger } from "../logger.js";
import { fetchCbuCrossRates } from "./cbuClient.js";
import { addDays, daysBetween, isIsoDate } from "./dates.js";
import { fetchNbkRates, type NbkFetchResult } from "./nbkClient.js";
import type { RateHistory } from "./rateHistory.js";
import { checkAgainstPrevious } from "./sanity.js";
import type { OfficialRateSet, RateSet } from "./types.js";

/**
 * Exponential backoff until a deadline. Injectable so the daily job can wait for hours, /rates
 * for seconds, and tests for milliseconds, all through the same code.
 */
export type RetrySchedule = {
  /** Wait after the first failed attempt. */
  initialDelayMs: number;
  /** Each further wait is the previous one times this, up to `maxDelayMs`. */
  factor: number;
  maxDelayMs: number;
  /** No attempt starts after this much time since the call began; then the source counts as down. */
  deadlineMs: number;
};

/**
 * For the daily job: NBK outages are usually minutes long, so keep trying for two hours (30 s,
 * 1, 2, 4, 8, then every 10 min) before admins are paged. The delivery waits meanwhile.
 */
export const DAILY_JOB_RETRY: RetrySchedule = {
  initialDelayMs: 30_000,
  factor: 2,
  maxDelayMs: 10 * 60_000,
  deadlineMs: 2 * 60 * 60_000,
};

/** For a user waiting on /rates: a couple of quick retries, an answer within about ten seconds. */
export const INTERACTIVE_RETRY: RetrySchedule = {
  initialDelayMs: 500,
  factor: 2,
  maxDelayMs: 2000,
  deadlineMs: 8000,
};

export type OfficialRatesDeps = {
  history: RateHistory;
  /** NBK `get_rates.cfm` address (config `nbkRatesUrl`). */
  nbkBaseUrl: string;
  logger: Logger;
  /** CBU cross rates as a labelled fallback when NBK stays down (config `cbuFallback`, `cbuRatesUrl`). */
  cbu?: { enabled: boolean; baseUrl: string };
  /** Per request; cut to what is left before the deadline. Default 15 s. */
  requestTimeoutMs?: number;
  /** Default DAILY_JOB_RETRY. */
  retry?: RetrySchedule;
  /** How many days back to look for the latest official set. Default 10 (longest NBK break). */
  lookbackDays?: number;
  /** Sanity bound, see sanity.ts. An admin confirming a real devaluation passes a larger one. */
  maxDailyMove?: number;
  /** Stops waiting (e.g. on shutdown): the call then returns a failure promptly. */
  signal?: AbortSignal;
};

/** Why no official set could be given. */
export type RatesFailureCause =
  /** NBK did not answer usably before the deadline (timeouts, 5xx, HTML pages, broken XML). */
  | "source-unavailable"
  /** NBK answered, but a currency moved more than the sanity bound: held back for a human. */
  | "suspicious-data"
  /** NBK answered, but no day in the look-back window had rates. */
  | "no-rates-in-window"
  /** A bug or a storage error; details in the logs. */
  | "internal";

export type ResolvedRates =
  /**
   * The latest official set as of the day asked: `set.date` is that day, or the last business day
   * before it (a weekend or holiday). Either way it is current, and labelled with its own date.
   * `previous` is the official set before it, for the change column.
   */
  | {
      kind: "official";
      set: OfficialRateSet;
      previous: OfficialRateSet | undefined;
      askedDate: string;
      /** False when it came from history without asking NBK. */
      fetched: boolean;
    }
  /**
   * NBK failed; these are CBU cross rates (`set.source === "cbu-cross"`, never stored as official).
   * Show them only marked as such, and alert admins.
   */
  | {
      kind: "fallback";
      set: RateSet & { source: "cbu-cross" };
      cause: RatesFailureCause;
      reason: string;
      alertAdmins: true;
      lastOfficial: OfficialRateSet | undefined;
      askedDate: string;
    }
  /**
   * No usable rates: alert admins. `lastOfficial` (if any) may be shown labelled with its own date,
   * never as current.
   */
  | {
      kind: "failed";
      cause: RatesFailureCause;
      reason: string;
      alertAdmins: true;
      lastOfficial: OfficialRateSet | undefined;
      askedDate: string;
    };

type Failure = { cause: RatesFailureCause; reason: string };

/**
 * Finds the official NBK rates current on `today` (an ISO date in Asia/Almaty; see `todayIn`),
 * validates them against history, and stores them. Never throws.
 *
 * - A set already stored for the day is returned without asking NBK (cheap enough for /rates).
 * - On a weekend or holiday (empty `<rates>`, or an answer dated earlier) it steps back, up to
 *   `lookbackDays`, and returns the set labelled with ITS OWN date.
 * - Transient failures are retried on `retry` until its deadline; then, or when the data fails the
 *   sanity check, the result tells the caller to alert admins, with CBU cross rates when enabled.
 */
export async function resolveRatesFor(today: string, deps: OfficialRatesDeps): Promise<ResolvedRates> {
  const log = deps.logger.child({ module: "rates", askedDate: today });
  let failure: Failure;
  try {
    if (!isIsoDate(today)) throw new RangeError(`today is not an ISO date: ${today}`);
    const found = await findOfficial(today, deps, log);
    if ("set" in found) return { kind: "official", askedDate: today, ...found };
    failure = found;
  } catch (err) {
    log.error({ err }, "resolving rates failed unexpectedly");
    failure = { cause: "internal", reason: errorText(err) };
  }

  const lastOfficial = isIsoDate(today)
    ? await deps.history.latestOnOrBefore(today).catch(() => undefined)
    : undefined;
  const fallback = await crossRatesFallback(today, lastOfficial, deps, log);
  log.error(
    { cause: failure.cause, reason: failure.reason, lastOfficial: lastOfficial?.date, fallback: !!fallback },
    "no official NBK rates: admins must be alerted",
  );
  const common = { ...failure, alertAdmins: true as const, lastOfficial, askedDate: today };
  return fallback ? { kind: "fallback", set: fallback, ...common } : { kind: "failed", ...common };
}

async function findOfficial(
  today: string,
  deps: OfficialRatesDeps,
  log: Logger,
): Promise<{ set: OfficialRateSet; previous: OfficialRateSet | undefined; fetched: boolean } | Failure> {
  const { history } = deps;
  const retry = deps.retry ?? DAILY_JOB_RETRY;
  const deadline = Date.now() + retry.deadlineMs;
  const oldest = addDays(today, -(deps.lookbackDays ?? 10));

  for (let date = today; date >= oldest; ) {
    const stored = await history.get(date);
    if (stored) {
      return { set: stored, previous: await history.latestBefore(date), fetched: false };
    }
    if (await history.hasNoOwnSet(date)) {
      date = addDays(date, -1);
      continue;
    }

    const answer = await fetchUntilDeadline(date, deadline, retry, deps, log);
    switch (answer.kind) {
      case "ok": {
        const previous = await history.latestBefore(date);
        const checked = checkAgainstPrevious(answer.set, previous, {
          ...(deps.maxDailyMove !== undefined ? { maxDailyMove: deps.maxDailyMove } : {}),
        });
        if (checked.kind === "rejected") {
          log.error({ date, reason: checked.reason }, "NBK rates failed the sanity check; not stored");
          return { cause: "suspicious-data", reason: `NBK rates for ${date} ${checked.reason}` };
        }
        for (const warning of answer.warnings) log.warn({ date, warning }, "NBK answer incomplete");
        for (const move of checked.dropped) log.warn({ date, move }, "implausible move; currency left out");
        await history.save(checked.set);
        log.info({ date, rates: checked.set.rates }, "official rates stored");
        return { set: checked.set, previous, fetched: true };
      }
      case "empty":
        // Weekend or holiday: NBK has nothing of this day's own; the last business day's set applies.
        await history.markNoOwnSet(date, today);
        log.info({ date }, "no NBK rates of this date's own (empty answer); stepping back");
        date = addDays(date, -1);
        break;
      case "carried-over":
        // NBK answered with an earlier day's set: ask for that day by its own date, so the stored
        // set carries its real date and is validated like any other.
        await history.markNoOwnSet(date, today);
        log.info({ date, answeredDate: answer.answeredDate }, "NBK carried over an earlier day's rates");
        date = answer.answeredDate;
        break;
      case "invalid":
      case "failed":
        return { cause: "source-unavailable", reason: `NBK for ${date}: ${answer.reason}` };
    }
  }
  return { cause: "no-rates-in-window", reason: `NBK has no rates between ${oldest} and ${today}` };
}

/**
 * One date, retried with backoff until the deadline. An `invalid` answer is retried too: NBK's
 * site answers maintenance pages with status 200 for a while, and a fixed answer may follow.
 * A non-retryable failure (e.g. 404 from a wrong NBK_RATES_URL) gives up at once.
 */
async function fetchUntilDeadline(
  date: string,
  deadline: number,
  retry: RetrySchedule,
  deps: OfficialRatesDeps,
  log: Logger,
): Promise<NbkFetchResult> {
  let delay = retry.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    const timeoutMs = Math.max(1, Math.min(deps.requestTimeoutMs ?? 15_000, deadline - Date.now()));
    const answer = await fetchNbkRates(deps.nbkBaseUrl, date, {
      timeoutMs,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    if (answer.kind !== "failed" && answer.kind !== "invalid") return answer;
    if (answer.kind === "failed" && !answer.retryable) return answer;
    if (deps.signal?.aborted) return { kind: "failed", reason: "aborted", retryable: false };
    if (Date.now() + delay >= deadline) {
      return { ...answer, reason: `${answer.reason} (gave up after ${attempt} attempts)` };
    }
    log.warn(
      { date, attempt, reason: answer.reason, retryInMs: delay },
      "NBK rates not available yet; retrying",
    );
    await sleep(delay, undefined, deps.signal ? { signal: deps.signal } : {}).catch(() => {});
    delay = Math.min(delay * retry.factor, retry.maxDelayMs);
  }
}

/** CBU cross rates for the day, if enabled and plausible against the last official set. */
async function crossRatesFallback(
  today: string,
  lastOfficial: OfficialRateSet | undefined,
  deps: OfficialRatesDeps,
  log: Logger,
): Promise<(RateSet & { source: "cbu-cross" }) | undefined> {
  if (!deps.cbu?.enabled || !isIsoDate(today)) return undefined;
  const answer = await fetchCbuCrossRates(deps.cbu.baseUrl, today, {
    timeoutMs: deps.requestTimeoutMs ?? 15_000,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (answer.kind !== "ok") {
    log.warn({ reason: answer.reason }, "CBU fallback unavailable too");
    return undefined;
  }
  const age = daysBetween(answer.set.date, today);
  if (age < 0 || age > (deps.lookbackDays ?? 10)) {
    log.warn({ cbuDate: answer.set.date }, "CBU answered a date out of range; fallback not used");
    return undefined;
  }
  const checked = checkAgainstPrevious(answer.set, lastOfficial, {
    ...(deps.maxDailyMove !== undefined ? { maxDailyMove: deps.maxDailyMove } : {}),
  });
  if (checked.kind === "rejected") {
    log.warn({ reason: checked.reason }, "CBU cross rates implausible; fallback not used");
    return undefined;
  }
  return { ...checked.set, source: "cbu-cross" };
}
