/**
 * Every tuning knob of the delivery engine and its default, in one typed object (as BullMQ's
 * `WorkerOptions`). Operators set the rate (SEND_RATE_LIMIT, in config); what is here is what tests
 * shorten and benchmarks vary. Nothing else in delivery has a fallback of its own.
 */
import type { DeliveryEvent } from "./events.js";

export type DeliveryOptions = {
  /**
   * Run a worker in this process (false: only enqueue, e.g. in a CLI).
   * @defaultValue true
   */
  worker: boolean;
  /**
   * Fixes the sends (and jobs) in flight in this process, instead of following the measured
   * round trip between `minInFlight` and `maxInFlight`. Each one in flight is also one message a
   * SIGKILL may leave sent but unrecorded (sent twice after a restart).
   * @defaultValue undefined (adaptive)
   */
  concurrency: number | undefined;
  /**
   * Fewest sends in flight, whatever the measured round trip.
   * @defaultValue 2
   */
  minInFlight: number;
  /**
   * Most sends in flight in one process: enough for 1,000/s at a mean round trip of ~340 ms.
   * @defaultValue 512
   */
  maxInFlight: number;
  /**
   * Most sends in flight before any round trip was measured (the former fixed bound): a start
   * holds no more BullMQ jobs than a SIGKILL should leave waiting for their lock to expire, and
   * climbs from there within a round trip or two.
   * @defaultValue 64
   */
  maxInitialInFlight: number;
  /**
   * The round trip assumed before any was measured (sets the first in-flight limit). Rather
   * too long than too short: a slot too many only waits for the schedule, one too few is rate lost
   * until the first round trips are measured.
   * @defaultValue 1000
   */
  initialLatencyMs: number;
  /**
   * Minimum gap between two messages to one private chat (Telegram: about 1 per second).
   * @defaultValue 1000
   */
  privatePaceMs: number;
  /**
   * Minimum gap between two messages to one group or channel (Telegram: 20 per minute).
   * @defaultValue 3000
   */
  groupPaceMs: number;
  /**
   * A job whose worker stopped renewing its lock this long is taken over (BullMQ lockDuration).
   * @defaultValue 30_000
   */
  lockDurationMs: number;
  /**
   * How often stalled jobs of a killed worker are looked for (BullMQ stalledInterval).
   * @defaultValue 30_000
   */
  stalledIntervalMs: number;
  /**
   * Stalls a job survives before it becomes a dead letter (BullMQ maxStalledCount).
   * @defaultValue 3
   */
  maxStalledCount: number;
  /**
   * Deadline of one Bot API call, in seconds.
   * @defaultValue 30
   */
  requestTimeoutSeconds: number;
  /**
   * Dead letters kept; the oldest are dropped beyond this.
   * @defaultValue 10_000
   */
  maxDeadLetters: number;
  /**
   * A send whose global slot is further away than this (a 429 pushed the schedule) goes back on
   * the queue for that long instead of holding a send slot, and a stop, while it waits.
   * @defaultValue 2000
   */
  maxSlotWaitMs: number;
  /**
   * The furthest ahead a delivery may book the shared schedule. Replies book the next free slot
   * whatever its distance, so they wait behind at most this much of deliveries, and when replies
   * fill the schedule beyond it, deliveries wait: replies first, deliveries take what is left.
   * @defaultValue 250
   */
  deliveryHorizonMs: number;
  /**
   * Messages a person's chat may get at once from the bot's replies before per-chat pacing holds
   * them (Telegram allows short bursts over one a second).
   * @defaultValue 3
   */
  replyBurst: number;
  /**
   * Longest a reply waits for the budget (a long retry_after); beyond it the call fails as a 429
   * would, so an update handler never hangs.
   * @defaultValue 30_000
   */
  maxReplyWaitMs: number;
  /**
   * How often unfinished fan-outs are looked for; 0: only at start.
   * @defaultValue 60_000
   */
  resumeIntervalMs: number;
  /**
   * Fan-out walk lock expiry: how soon a crashed walk is taken over.
   * @defaultValue 30_000
   */
  fanOutLockTtlMs: number;
  /**
   * Subscribers read per step of the fan-out walk: a few story jobs' worth, little garbage per step.
   * @defaultValue 500
   */
  fanOutBatchSize: number;
  /**
   * Chats per queued story job (at most STORY_BATCH_MAX, 100).
   * @defaultValue 100
   */
  fanOutJobSize: number;
  /**
   * How long "this story was fanned out" is remembered (longer than a feed keeps an item).
   * @defaultValue 7 days
   */
  fanOutDoneTtlMs: number;
  /**
   * Send attempts for transient failures (5xx, network) before a dead letter.
   * @defaultValue 5
   */
  attempts: number;
  /**
   * First retry delay of a failed send; doubles with each attempt.
   * @defaultValue 2000
   */
  backoffMs: number;
  /**
   * How long "sent to this chat" is remembered; longer than any job can wait in the queue.
   * @defaultValue 3 days
   */
  sentTtlMs: number;
  /**
   * What happened to each delivery, for metrics.
   * @defaultValue undefined
   */
  onEvent: ((event: DeliveryEvent) => void) | undefined;
};

export const DELIVERY_DEFAULTS: Readonly<DeliveryOptions> = Object.freeze({
  worker: true,
  concurrency: undefined,
  minInFlight: 2,
  maxInFlight: 512,
  maxInitialInFlight: 64,
  initialLatencyMs: 1000,
  privatePaceMs: 1000,
  groupPaceMs: 3000,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 3,
  requestTimeoutSeconds: 30,
  maxDeadLetters: 10_000,
  maxSlotWaitMs: 2000,
  deliveryHorizonMs: 250,
  replyBurst: 3,
  maxReplyWaitMs: 30_000,
  resumeIntervalMs: 60_000,
  fanOutLockTtlMs: 30_000,
  fanOutBatchSize: 500,
  fanOutJobSize: 100,
  fanOutDoneTtlMs: 7 * 86_400_000,
  attempts: 5,
  backoffMs: 2000,
  sentTtlMs: 3 * 86_400_000,
  onEvent: undefined,
});

/** The defaults with `overrides` on top; an override that is `undefined` keeps the default. */
export function resolveDeliveryOptions(overrides: Partial<DeliveryOptions> = {}): DeliveryOptions {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...DELIVERY_DEFAULTS, ...Object.fromEntries(defined) };
}
