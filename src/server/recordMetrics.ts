/**
 * Adapters from the events the app already produces (a poll cycle's report, a delivery event, a
 * rates result, a Telegram API answer, an update) to the typed handles of metrics.ts. Each maps
 * a value to its closed label list, "other" for anything outside it.
 */
import type { Transformer } from "grammy";
import type { DeliveryEvent } from "../delivery/index.js";
import type { ArticlePageOutcome } from "../news/articleEnricher.js";
import type { DropReason } from "../news/distinctItems.js";
import { BACKLOG_REASON, type CycleReport } from "../news/pollCycle.js";
import type { ResolvedRates } from "../rates/officialRates.js";

import type { Metrics } from "./metrics.js";

/**
 * Counts one finished poll cycle: each feed's outcome and duration, the stories accepted, and
 * the rejected items by reason class (merges into an existing story count as "duplicate").
 */
export function recordPollCycle(metrics: Metrics, report: CycleReport): void {
  for (const feed of report.feeds) {
    metrics.feedsPolled.inc(feed.status);
    // A feed that was skipped (backing off) or cut short took no meaningful time.
    if (feed.status === "ok" || feed.status === "not-modified" || feed.status === "failed") {
      metrics.feedPollSeconds.observe(feed.feedId, feed.durationMs / 1000);
    }
  }
  if (report.totals.accepted > 0) metrics.storiesAccepted.inc(report.totals.accepted);
  for (const [reason, count] of Object.entries(report.rejectionReasons)) {
    metrics.storiesRejected.inc(reason === BACKLOG_REASON ? "backlog" : "irrelevant", count);
  }
  if (report.totals.merged > 0) metrics.storiesRejected.inc("duplicate", report.totals.merged);
  for (const [reason, count] of Object.entries(report.droppedReasons ?? {})) {
    metrics.feedItemsDropped.inc(reason as DropReason, count);
  }
  for (const [outcome, count] of Object.entries(report.articlePages ?? {})) {
    metrics.articlePages.inc(outcome as ArticlePageOutcome, count);
  }
}

/**
 * Counts one delivery event from the worker (pass as `onEvent`). Events that are neither a
 * send nor a failure (pacing, a skipped duplicate) are not counted.
 */
export function recordDeliveryEvent(metrics: Metrics, event: DeliveryEvent): void {
  switch (event.type) {
    case "sent":
      metrics.messagesSent.inc(event.kind);
      break;
    case "rate-limited":
      metrics.telegram429.inc();
      break;
    case "deactivated":
      metrics.messagesFailed.inc(event.status);
      break;
    case "migrated":
      metrics.messagesFailed.inc("migrated");
      break;
    case "retrying":
      metrics.messagesFailed.inc("retry");
      break;
    case "dead-letter":
      metrics.messagesFailed.inc("dead_letter");
      break;
    default:
      break;
  }
}

/**
 * Counts one resolved rates answer: "ok" when NBK was asked and answered, "fallback" for CBU's
 * labelled cross rates, "failed" when nothing usable came. An answer served from the stored
 * history without asking NBK is not a fetch and is not counted.
 */
export function recordRatesResult(
  metrics: Metrics,
  resolved: Pick<ResolvedRates, "kind"> & { fetched?: boolean },
): void {
  if (resolved.kind === "official") {
    if (resolved.fetched) metrics.ratesFetches.inc("ok");
    return;
  }
  metrics.ratesFetches.inc(resolved.kind);
}

/**
 * An API transformer that counts Telegram's 429 answers to the bot's own calls (replies,
 * command menus). Install it outermost (`bot.api.config.use` before auto-retry's) so each
 * 429 is seen even when auto-retry then succeeds.
 */
export function countTelegram429(metrics: Metrics): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) metrics.telegram429.inc();
    return result;
  };
}

/**
 * A grammY middleware that times each update through the rest of the stack. Place it first,
 * so the time includes every later middleware.
 */
export function timeUpdates(metrics: Metrics): (ctx: unknown, next: () => Promise<void>) => Promise<void> {
  return async (_ctx, next) => {
    const done = metrics.updateSeconds.startTimer();
    try {
      await next();
    } finally {
      done();
    }
  };
}
