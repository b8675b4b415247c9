/**
 * Admission of one send, decided in Redis so that every worker process on the queue agrees:
 *
 * 1. the ledger: a chat that already received this ref is skipped;
 * 2. per-chat pacing: the chat's pace slot is taken, or the time until it frees is returned;
 * 3. the global rate: a slot in one shared schedule of sends, spaced `1/SEND_RATE_LIMIT` apart,
 *    shared by deliveries and the bot's replies (`SendBudget`), replies first;
 * 4. with PAID_BROADCAST, the free rate: a second schedule at FREE_SEND_RATE_LIMIT that every
 *    message keeps to (replies and edits included: they are never paid), except a paid
 *    broadcast's when no free slot is open, which is sent with allow_paid_broadcast (Telegram: up
 *    to 1,000/s, 0.1 Star per message over the free 30/s).
 *
 * All three in one script, so one round trip per message and no race between two workers that
 * read and then write. The schedule is a single "next free slot" time (GCRA without a burst): a
 * send is never earlier than its slot and unused slots are not banked, so no window of any length
 * ever holds more than its share of the limit plus one. The clock is Redis's own (`TIME`), the one
 * clock all processes share. A 429 from Telegram pushes the next free slot past `retry_after`,
 * which holds every process back, not only the one that was told. (The scripts: storage/scripts.ts.)
 */
import { FREE_LIMIT_PER_SECOND, PAID_LIMIT_PER_SECOND } from "../config.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import { ADMIT_CODE, type Scripts, scriptsOf } from "../storage/scripts.js";

/** What the admission script decided for one send. */
export type Admission =
  /**
   * Send after `waitMs` (the slot's distance from now; usually 0). `paid`: no free slot was open,
   * so this message of a paid broadcast goes with allow_paid_broadcast.
   */
  | { verdict: "send"; waitMs: number; paid: boolean }
  /** The chat got a message too recently: try again in `delayMs`. */
  | { verdict: "paced"; delayMs: number }
  /** The ledger says this chat already received the ref. */
  | { verdict: "duplicate" }
  /**
   * The schedule (or, in paid mode, the free schedule) is booked beyond the sender's horizon
   * (replies go first): ask again in `retryMs`.
   */
  | { verdict: "busy"; retryMs: number };

/** What the admission of an interactive call decided. */
export type InteractiveAdmission =
  | { verdict: "send"; waitMs: number }
  | Extract<Admission, { verdict: "paced" }>;

/** How one delivery asks for admission. */
export type AdmitOptions = {
  /** How far ahead in the schedule this send may book; unset: however far. */
  horizonMs?: number | undefined;
  /** The ledger's name for the destination (a forum topic's `chat:thread`); the chat id by default. */
  member?: string;
  /** A paid broadcast's message: it may go paid when no free slot is open (never without PAID_BROADCAST). */
  paid?: boolean;
};

/** The schedule key outlives any wait it can hold (waits are bounded by the sends in flight). */
const SCHEDULE_TTL_MS = 10 * 60_000;

export type SendAdmissionOptions = {
  redis: Redis;
  keys: RedisKeys;
  /** Messages per second for the whole bot, across all processes (SEND_RATE_LIMIT). */
  ratePerSecond: number;
  /**
   * PAID_BROADCAST mode: the rate of messages sent without paying (FREE_SEND_RATE_LIMIT). Unset:
   * one schedule at `ratePerSecond`, nothing is ever paid.
   */
  freeRatePerSecond?: number | undefined;
};

/** The Redis side of "may this message go now?". Cheap to create; safe in many processes. */
export class SendAdmission {
  private readonly scripts: Scripts;
  private readonly keys: RedisKeys;
  private readonly intervalUs: number;
  /** 0: paid broadcasts are off, the scripts read no free schedule. */
  private readonly freeIntervalUs: number;
  private readonly redis: Redis;

  constructor(options: SendAdmissionOptions) {
    this.keys = options.keys;
    this.redis = options.redis;
    this.intervalUs = slotIntervalUs(scheduledRate(options.ratePerSecond));
    this.freeIntervalUs =
      options.freeRatePerSecond === undefined ? 0 : slotIntervalUs(scheduledRate(options.freeRatePerSecond));
    this.scripts = scriptsOf(options.redis);
  }

  /**
   * Checks the ledger, takes the chat's pace slot and reserves a global slot, in that order: a
   * duplicate, a paced chat or a schedule booked beyond `horizonMs` reserves nothing. A delivery's
   * horizon is what keeps the schedule free for replies: they book the next free slot whatever
   * its distance, deliveries only what is near.
   */
  /**
   * `member` is the ledger's name for the destination (a forum topic's \`chat:thread\`; the chat id
   * by default); pacing is per chat, because Telegram's 20 a minute is the whole group's, whatever
   * topic a message goes to. `horizonMs`: how far ahead in the schedule this send may book (in
   * paid mode, the free schedule too). `paid`: a paid broadcast's message, which goes paid when no
   * free slot is open by its global slot, unless its ref was marked unpaid (`markUnpaid`).
   */
  async admit(
    refToken: string,
    chatId: number,
    paceMs: number,
    options: AdmitOptions = {},
  ): Promise<Admission> {
    const { horizonMs, member = String(chatId), paid = false } = options;
    const [code, value, flagged] = await this.scripts.kzuzAdmitSend(
      this.keys.deliverySent(refToken),
      this.keys.deliveryPace(chatId),
      this.keys.deliverySchedule,
      this.keys.deliveryFreeSchedule,
      this.keys.deliveryUnpaid(refToken),
      member,
      paceMs,
      this.intervalUs,
      SCHEDULE_TTL_MS,
      horizonMs === undefined ? -1 : Math.round(horizonMs * 1000),
      this.freeIntervalUs,
      paid ? 1 : 0,
    );
    if (code === ADMIT_CODE.DUPLICATE) return { verdict: "duplicate" };
    if (code === ADMIT_CODE.PACED) return { verdict: "paced", delayMs: Math.max(1, Number(value)) };
    // A free schedule booked too far is the same wait as a global one: nothing reserved, ask again.
    if (code === ADMIT_CODE.BUSY || code === ADMIT_CODE.FREE_BUSY)
      return { verdict: "busy", retryMs: Math.max(1, Number(value) / 1000) };
    return { verdict: "send", waitMs: Number(value) / 1000, paid: flagged === 1 };
  }

  /**
   * An interactive message to a chat (a reply): the next free global slot, however far, and the
   * chat's pace with a burst of `burstMs` (Telegram lets a chat have a few at once). Never paid:
   * in paid mode it takes the next free slot as well.
   */
  async admitReply(chatId: number, paceMs: number, burstMs: number): Promise<InteractiveAdmission> {
    const [code, value] = await this.scripts.kzuzAdmitReply(
      this.keys.deliveryPace(chatId),
      this.keys.deliverySchedule,
      this.keys.deliveryFreeSchedule,
      paceMs,
      this.intervalUs,
      SCHEDULE_TTL_MS,
      burstMs,
      this.freeIntervalUs,
    );
    if (code === ADMIT_CODE.PACED) return { verdict: "paced", delayMs: Math.max(1, Number(value)) };
    return { verdict: "send", waitMs: Number(value) / 1000 };
  }

  /**
   * The next free global slot for a call no chat limit applies to (an edit); ms to wait for it.
   * Never paid: in paid mode, the next free slot as well.
   */
  async takeSlot(): Promise<number> {
    const [, value] = await this.scripts.kzuzTakeSlot(
      this.keys.deliverySchedule,
      this.keys.deliveryFreeSchedule,
      this.intervalUs,
      SCHEDULE_TTL_MS,
      this.freeIntervalUs,
    );
    return Number(value) / 1000;
  }

  /** Holds every process's sends back for `ms` (Telegram's retry_after). */
  async pause(ms: number): Promise<void> {
    await this.scripts.kzuzPauseSends(
      this.keys.deliverySchedule,
      this.keys.deliveryFreeSchedule,
      Math.max(0, Math.ceil(ms)),
    );
  }

  /** Telegram refused a paid message of this ref for want of Stars: its other messages go unpaid. */
  async markUnpaid(refToken: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.deliveryUnpaid(refToken), "1", "PX", ttlMs);
  }
}

/**
 * What a schedule keeps below the Telegram limit it is set at or near. Telegram counts a bot's
 * messages as they arrive, and the way there varies by a few milliseconds from one request to the
 * next: sends spaced exactly at 30 a second put a 31st into some one-second windows at the server.
 * 2.5% is 25 ms a second at 30/s: START_TOLERANCE_MS of it for the start spacer's catch-up, the
 * rest (21 ms) five standard deviations of the difference between two requests' way to the
 * server under the benchmarks' model (2% still let a 31st in twice in 10,000 sends).
 */
export const ARRIVAL_MARGIN = 0.025;

/**
 * The rate a schedule keeps for a configured rate: the rate itself, but never closer than
 * ARRIVAL_MARGIN to Telegram's limit above it (30/s free, 1,000/s with paid broadcasts). A rate
 * above every Telegram limit (the benchmarks' ceiling runs, limits off) is kept as it is.
 */
export function scheduledRate(ratePerSecond: number): number {
  const limit = [FREE_LIMIT_PER_SECOND, PAID_LIMIT_PER_SECOND].find((l) => ratePerSecond <= l);
  return limit === undefined ? ratePerSecond : Math.min(ratePerSecond, limit * (1 - ARRIVAL_MARGIN));
}

/** Distance between two sends' slots at a rate, in whole microseconds; rounded up, never over the rate. */
export function slotIntervalUs(ratePerSecond: number): number {
  return Math.max(1, Math.ceil(1_000_000 / ratePerSecond));
}
