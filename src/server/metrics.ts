/**
 * The bot's Prometheus metrics: one registry per `createMetrics()` (never prom-client's global
 * default, so tests and several apps in one process do not collide), typed handles for the
 * places that count; the adapters from the app's events to those handles are in recordMetrics.ts.
 *
 * Label cardinality is bounded on purpose: every label value here comes from a closed list
 * (delivery kinds, failure reasons, feed outcomes, reject reasons, rates outcomes) or, for the
 * feed label, from the operator's feed list with a hard cap. Prometheus keeps one time series
 * per label combination, forever; a free-text value (an error message, a chat id, a URL) would
 * create a new series per distinct value and grow memory in the bot and in Prometheus without
 * bound. A value outside its list is counted as "other" instead of being dropped, so totals
 * stay right and the surprise shows up on a dashboard.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { DeliveryKind } from "../delivery/index.js";
import { ARTICLE_PAGE_OUTCOMES, type ArticlePageOutcome } from "../news/articleEnricher.js";
import { DROP_REASONS, type DropReason } from "../news/distinctItems.js";
import type { FeedOutcomeStatus } from "../news/pollCycle.js";

export {
  countTelegram429,
  recordDeliveryEvent,
  recordPollCycle,
  recordRatesResult,
  timeUpdates,
} from "./recordMetrics.js";

/** Every metric of the bot's own starts with this, so they group together in Prometheus. */
export const METRIC_PREFIX = "kzuz_";

// A record, not a list, so a new delivery kind fails to compile here instead of being counted
// as "other".
const MESSAGE_KIND_SET: Record<DeliveryKind, true> = { story: true, text: true, photo: true, copy: true };
/** Kinds of delivered message: the delivery job kinds. */
export const MESSAGE_KINDS = Object.keys(MESSAGE_KIND_SET) as DeliveryKind[];
export type MessageKind = DeliveryKind;

/** Why a message did not go out (or not at once): one word per action the worker takes. */
export const MESSAGE_FAILURE_REASONS = [
  "blocked",
  "gone",
  "migrated",
  "retry",
  "dropped",
  "dead_letter",
] as const;
export type MessageFailureReason = (typeof MESSAGE_FAILURE_REASONS)[number];

export const FEED_OUTCOMES = [
  "ok",
  "not-modified",
  "failed",
  "backing-off",
  "aborted",
] as const satisfies readonly FeedOutcomeStatus[];
export type FeedOutcome = (typeof FEED_OUTCOMES)[number];

/**
 * Why an item did not become a story. The poll cycle's own reasons are one-line explanations
 * naming the words that decided (unbounded), so they are folded into these classes.
 */
export const STORY_REJECT_REASONS = ["backlog", "irrelevant", "duplicate", "invalid"] as const;
export type StoryRejectReason = (typeof STORY_REJECT_REASONS)[number];

/** How a rates fetch ended: NBK answered, NBK failed and CBU's labelled fallback was used, or nothing. */
export const RATES_FETCH_OUTCOMES = ["ok", "fallback", "failed"] as const;
export type RatesFetchOutcome = (typeof RATES_FETCH_OUTCOMES)[number];

/** Destinations that are not a plain chat: a channel, or a forum topic. */
export const DESTINATION_KINDS = ["channel", "topic"] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** Feed ids come from the operator's feed list; the cap guards against a list gone wrong. */
export const MAX_FEED_LABELS = 200;

/** How long a scrape waits for the queue depth before reporting it as unknown (NaN). */
const QUEUE_DEPTH_TIMEOUT_MS = 1_000;

/** A counter whose one label takes values from a closed list. */
export type LabelledCounter<L extends string> = {
  inc(label: L, by?: number): void;
};
/** A counter without labels. */
export type PlainCounter = { inc(by?: number): void };
/** A histogram whose one label takes values from a bounded set. */
export type LabelledHistogram = {
  observe(label: string, seconds: number): void;
};
/** A histogram without labels. */
export type PlainHistogram = {
  observe(seconds: number): void;
  /** Starts a timer; calling the returned function observes the seconds since. */
  startTimer(): () => void;
};

export type Metrics = {
  /** The registry to expose on /metrics (`registry.metrics()`, `registry.contentType`). */
  registry: Registry;
  messagesSent: LabelledCounter<MessageKind>;
  messagesFailed: LabelledCounter<MessageFailureReason>;
  /** 429 Too Many Requests answers from Telegram, to any method. */
  telegram429: PlainCounter;
  feedsPolled: LabelledCounter<FeedOutcome>;
  /** Seconds one feed took to fetch and judge, labelled by feed id. */
  feedPollSeconds: LabelledHistogram;
  storiesAccepted: PlainCounter;
  storiesRejected: LabelledCounter<StoryRejectReason>;
  ratesFetches: LabelledCounter<RatesFetchOutcome>;
  /** Seconds from an update's arrival in the middleware stack to its last handler's end. */
  updateSeconds: PlainHistogram;
  /** Updates flood control left unanswered (after the chat's one notice), by kind. */
  updatesSuppressed: LabelledCounter<SuppressedUpdateKind>;
  /** Rates charts drawn (a cache miss, or a file_id Telegram no longer knows). */
  chartRenders: PlainCounter;
  /** Rates charts sent by a cached Telegram file_id instead of a new upload. */
  chartCacheHits: PlainCounter;
  /** Feed items the reader never passed on (no title or link, listed twice), by reason. */
  feedItemsDropped: LabelledCounter<DropReason>;
  /** Channels and forum topics paused because the bot can no longer post there. */
  destinationsPaused: LabelledCounter<DestinationKind>;
  /** Article pages of relevant stories (ARTICLE_FETCH), by outcome: read, or why not. */
  articlePages: LabelledCounter<ArticlePageOutcome>;
};

/**
 * What flood control suppresses: messages (commands, text), button presses, and repeats (the same
 * command again while the chat's first one is still being answered; that answer serves both).
 */
export const SUPPRESSED_UPDATE_KINDS = ["message", "callback", "repeat"] as const;
export type SuppressedUpdateKind = (typeof SUPPRESSED_UPDATE_KINDS)[number];

export type MetricsOptions = {
  /**
   * Reads the delivery queue's depth (waiting + delayed + active jobs) at scrape time. The
   * queue is shared by every instance on the Redis, so every instance reports the same number:
   * aggregate with max(), not sum().
   */
  queueDepth?: () => Promise<number>;
  /** Node.js process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
};

/**
 * Creates a fresh registry with every metric of the bot registered in it. Each call is
 * independent, so any number of registries can live in one process.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  // Standard names (process_*, nodejs_*) so ready-made Node.js dashboards work unchanged.
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const queueDepth = options.queueDepth;
  // Without a source the gauge is left out: a constant 0 would read as "queue empty".
  if (queueDepth) {
    new Gauge({
      name: `${METRIC_PREFIX}delivery_queue_depth`,
      help: "Deliveries waiting, delayed or in progress in the shared queue (same on every instance: use max())",
      registers,
      async collect() {
        // Redis commands wait in the offline queue while Redis is away: a scrape must not hang.
        // NaN says "unknown" (prom-client writes it as `Nan`, which Prometheus reads as NaN).
        this.set(await withTimeout(queueDepth(), QUEUE_DEPTH_TIMEOUT_MS).catch(() => Number.NaN));
      },
    });
  }

  return {
    registry,
    messagesSent: closedCounter(
      registers,
      "messages_sent_total",
      "Messages delivered to Telegram chats, by kind",
      "kind",
      MESSAGE_KINDS,
    ),
    messagesFailed: closedCounter(
      registers,
      "messages_failed_total",
      "Failed or diverted deliveries, by the action taken",
      "reason",
      MESSAGE_FAILURE_REASONS,
    ),
    telegram429: plainCounter(registers, "telegram_429_total", "429 Too Many Requests answers from Telegram"),
    feedsPolled: closedCounter(
      registers,
      "feeds_polled_total",
      "Feed polls, by outcome",
      "outcome",
      FEED_OUTCOMES,
    ),
    feedPollSeconds: cappedHistogram(
      registers,
      "feed_poll_seconds",
      "Seconds to fetch and judge one feed",
      "feed",
      MAX_FEED_LABELS,
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60],
    ),
    storiesAccepted: plainCounter(registers, "stories_accepted_total", "Items accepted as new stories"),
    storiesRejected: closedCounter(
      registers,
      "stories_rejected_total",
      "Items that did not become a story, by reason class",
      "reason",
      STORY_REJECT_REASONS,
    ),
    ratesFetches: closedCounter(
      registers,
      "rates_fetches_total",
      "Official rates fetches, by outcome",
      "outcome",
      RATES_FETCH_OUTCOMES,
    ),
    updateSeconds: plainHistogram(
      registers,
      "update_seconds",
      "Seconds to handle one Telegram update",
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ),
    updatesSuppressed: closedCounter(
      registers,
      "updates_suppressed_total",
      "Updates flood control left unanswered, by kind",
      "kind",
      SUPPRESSED_UPDATE_KINDS,
    ),
    chartRenders: plainCounter(registers, "chart_renders_total", "Rates charts rendered"),
    chartCacheHits: plainCounter(
      registers,
      "chart_cache_hits_total",
      "Rates charts sent by a cached Telegram file_id",
    ),
    feedItemsDropped: closedCounter(
      registers,
      "feed_items_dropped_total",
      "Feed items the reader did not pass on, by reason",
      "reason",
      DROP_REASONS,
    ),
    destinationsPaused: closedCounter(
      registers,
      "destinations_paused_total",
      "Channels and forum topics paused because the bot lost the right to post or the topic closed",
      "kind",
      DESTINATION_KINDS,
    ),
    articlePages: closedCounter(
      registers,
      "article_pages_total",
      "Article pages of relevant stories (ARTICLE_FETCH), by outcome: read, or why not",
      "outcome",
      ARTICLE_PAGE_OUTCOMES,
    ),
  };
}

// ------------------------------------------------------------------ construction

function closedCounter<L extends string>(
  registers: Registry[],
  name: string,
  help: string,
  labelName: string,
  values: readonly L[],
): LabelledCounter<L> {
  const counter = new Counter({ name: `${METRIC_PREFIX}${name}`, help, labelNames: [labelName], registers });
  const allowed = new Set<string>(values);
  // Every known series exists from the start at 0, so rate() and alerts see the first increment.
  for (const value of values) counter.inc({ [labelName]: value }, 0);
  return {
    inc(label, by = 1) {
      counter.inc({ [labelName]: allowed.has(label) ? label : "other" }, by);
    },
  };
}

function plainCounter(registers: Registry[], name: string, help: string): PlainCounter {
  const counter = new Counter({ name: `${METRIC_PREFIX}${name}`, help, registers });
  return { inc: (by = 1) => counter.inc(by) };
}

function cappedHistogram(
  registers: Registry[],
  name: string,
  help: string,
  labelName: string,
  maxValues: number,
  buckets: number[],
): LabelledHistogram {
  const histogram = new Histogram({
    name: `${METRIC_PREFIX}${name}`,
    help,
    labelNames: [labelName],
    buckets,
    registers,
  });
  const seen = new Set<string>();
  return {
    observe(label, seconds) {
      if (!seen.has(label) && seen.size < maxValues) seen.add(label);
      histogram.observe({ [labelName]: seen.has(label) ? label : "other" }, seconds);
    },
  };
}

function plainHistogram(
  registers: Registry[],
  name: string,
  help: string,
  buckets: number[],
): PlainHistogram {
  const histogram = new Histogram({ name: `${METRIC_PREFIX}${name}`, help, buckets, registers });
  return {
    observe: (seconds) => histogram.observe(seconds),
    startTimer: () => {
      const end = histogram.startTimer();
      return () => {
        end();
      };
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
