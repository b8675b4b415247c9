/**
 * Admission of one send, decided in Redis so that every worker process on the queue agrees:
 *
 * 1. the ledger: a chat that already received this ref is skipped;
 * 2. per-chat pacing: the chat's pace slot is taken, or the time until it frees is returned;
 * 3. the global rate: a slot in one shared schedule of sends, spaced `1/SEND_RATE_LIMIT` apart,
 *    shared by deliveries and the bot's replies (`SendBudget`), replies first.
 *
 * All three in one script, so one round trip per message and no race between two workers that
 * read and then write. The schedule is a single "next free slot" time (GCRA without a burst): a
 * send is never earlier than its slot and unused slots are not banked, so no window of any length
 * ever holds more than its share of the limit plus one. The clock is Redis's own (`TIME`), the one
 * clock all processes share. A 429 from Telegram pushes the next free slot past `retry_after`,
 * which holds every process back, not only the one that was told. (The scripts: storage/scripts.ts.)
 */
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import { ADMIT_CODE, type Scripts, scriptsOf } from "../storage/scripts.js";

/** What the admission script decided for one send. */
export type Admission =
  /** Send after `waitMs` (the global slot's distance from now; usually 0). */
  | { verdict: "send"; waitMs: number }
  /** The chat got a message too recently: try again in `delayMs`. */
  | { verdict: "paced"; delayMs: number }
  /** The ledger says this chat already received the ref. */
  | { verdict: "duplicate" }
  /** The schedule is booked beyond the sender's horizon (replies go first): ask again in `retryMs`. */
  | { verdict: "busy"; retryMs: number };

/** What the admission of an interactive call decided. */
export type InteractiveAdmission = Extract<Admission, { verdict: "send" | "paced" }>;

/** The schedule key outlives any wait it can hold (waits are bounded by the sends in flight). */
const SCHEDULE_TTL_MS = 10 * 60_000;

export type SendAdmissionOptions = {
  redis: Redis;
  keys: RedisKeys;
  /** Messages per second for the whole bot, across all processes (SEND_RATE_LIMIT). */
  ratePerSecond: number;
};

/** The Redis side of "may this message go now?". Cheap to create; safe in many processes. */
export class SendAdmission {
  private readonly scripts: Scripts;
  private readonly keys: RedisKeys;
  private readonly intervalUs: number;

  constructor(options: SendAdmissionOptions) {
    this.keys = options.keys;
    this.intervalUs = slotIntervalUs(options.ratePerSecond);
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
   * topic a message goes to. `horizonMs`: how far ahead in the schedule this send may book.
   */
  async admit(
    refToken: string,
    chatId: number,
    paceMs: number,
    options: { horizonMs?: number | undefined; member?: string } = {},
  ): Promise<Admission> {
    const { horizonMs, member = String(chatId) } = options;
    const [code, value] = await this.scripts.kzuzAdmitSend(
      this.keys.deliverySent(refToken),
      this.keys.deliveryPace(chatId),
      this.keys.deliverySchedule,
      member,
      paceMs,
      this.intervalUs,
      SCHEDULE_TTL_MS,
      horizonMs === undefined ? -1 : Math.round(horizonMs * 1000),
    );
    if (code === ADMIT_CODE.DUPLICATE) return { verdict: "duplicate" };
    if (code === ADMIT_CODE.PACED) return { verdict: "paced", delayMs: Math.max(1, Number(value)) };
    if (code === ADMIT_CODE.BUSY) return { verdict: "busy", retryMs: Math.max(1, Number(value) / 1000) };
    return { verdict: "send", waitMs: Number(value) / 1000 };
  }

  /**
   * An interactive message to a chat (a reply): the next free global slot, however far, and the
   * chat's pace with a burst of `burstMs` (Telegram lets a chat have a few at once).
   */
  async admitReply(chatId: number, paceMs: number, burstMs: number): Promise<InteractiveAdmission> {
    const [code, value] = await this.scripts.kzuzAdmitReply(
      this.keys.deliveryPace(chatId),
      this.keys.deliverySchedule,
      paceMs,
      this.intervalUs,
      SCHEDULE_TTL_MS,
      burstMs,
    );
    if (code === ADMIT_CODE.PACED) return { verdict: "paced", delayMs: Math.max(1, Number(value)) };
    return { verdict: "send", waitMs: Number(value) / 1000 };
  }

  /** The next free global slot for a call no chat limit applies to (an edit); ms to wait for it. */
  async takeSlot(): Promise<number> {
    const [, value] = await this.scripts.kzuzTakeSlot(
      this.keys.deliverySchedule,
      this.intervalUs,
      SCHEDULE_TTL_MS,
    );
    return Number(value) / 1000;
  }

  /** Holds every process's sends back for `ms` (Telegram's retry_after). */
  async pause(ms: number): Promise<void> {
    await this.scripts.kzuzPauseSends(this.keys.deliverySchedule, Math.max(0, Math.ceil(ms)));
  }
}

/** Distance between two sends' slots at a rate, in whole microseconds; rounded up, never over the rate. */
export function slotIntervalUs(ratePerSecond: number): number {
  return Math.max(1, Math.ceil(1_000_000 / ratePerSecond));
}
