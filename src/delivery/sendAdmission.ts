/**
 * Admission of one send, decided in Redis so that every worker process on the queue agrees:
 *
 * 1. the ledger: a chat that already received this ref is skipped;
 * 2. per-chat pacing: the chat's pace slot is taken, or the time until it frees is returned;
 * 3. the global rate: a slot in one shared schedule of sends, spaced `1/SEND_RATE_LIMIT` apart;
 * 4. with PAID_BROADCAST, the free rate: a second schedule at FREE_SEND_RATE_LIMIT that every
 *    message keeps to, except a paid broadcast's when no free slot is open, which is sent with
 *    allow_paid_broadcast (Telegram: up to 1,000/s, 0.1 Star per message over the free 30/s).
 *
 * All three in one script, so one round trip per message and no race between two workers that
 * read and then write. The schedule is a single "next free slot" time (GCRA without a burst): a
 * send is never earlier than its slot and unused slots are not banked, so no window of any length
 * ever holds more than its share of the limit plus one. The clock is Redis's own (`TIME`), the one
 * clock all processes share. A 429 from Telegram pushes the next free slot past `retry_after`,
 * which holds every process back, not only the one that was told.
 */
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";

/** What the admission script decided for one send. */
export type Admission =
  /**
   * Send after `waitMs` (the global slot's distance from now; usually 0). `paid`: no free slot was
   * open, so this message of a paid broadcast goes with allow_paid_broadcast.
   */
  | { verdict: "send"; waitMs: number; paid: boolean }
  /** The chat got a message too recently, or (paid mode) the free rate is booked: try again in `delayMs`. */
  | { verdict: "paced"; delayMs: number }
  /** The ledger says this chat already received the ref. */
  | { verdict: "duplicate" };

// KEYS: sent set of the ref, pace key of the chat, the global schedule, the free schedule, the
// ref's unpaid mark.
// ARGV: chat id, pace gap (ms), slot interval (µs), schedule key expiry (ms), free slot interval
// (µs; 0 when paid broadcasts are off, and then KEYS[4..5] are not read), 1 when the job is a paid
// broadcast, the longest wait for a free slot (µs).
// Returns {0, µs to wait, 1 if paid} | {1, ms until the chat's pace slot frees} | {2, 0}
// | {3, ms until a free slot is near}. A pace key without expiry (pttl -1) cannot be written by
// this script; -2 is "no key".
// Paid mode: everything keeps to the free schedule (FREE_SEND_RATE_LIMIT) except a paid
// broadcast's message when no free slot is open by its global slot, which goes flagged instead. A
// free slot too far ahead is not booked ({3}): booking it would push the free schedule ever further.
// Times are formatted with %.0f: Lua's tostring would print 1.7e+15 and lose the microseconds.
const ADMIT_SCRIPT = `
if redis.call("sismember", KEYS[1], ARGV[1]) == 1 then return {2, 0} end
local busy = redis.call("pttl", KEYS[2])
if busy > 0 then return {1, busy} end
local t = redis.call("time")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local slot = math.max(now, tonumber(redis.call("get", KEYS[3]) or "0"))
local sendAt = slot
local paid = 0
local freeInterval = tonumber(ARGV[5])
if freeInterval > 0 then
  local free = math.max(now, tonumber(redis.call("get", KEYS[4]) or "0"))
  if ARGV[6] == "1" and free > slot and redis.call("exists", KEYS[5]) == 0 then
    paid = 1
  else
    if free - now > tonumber(ARGV[7]) then return {3, math.ceil((free - now) / 1000)} end
    sendAt = math.max(slot, free)
    redis.call("set", KEYS[4], string.format("%.0f", sendAt + freeInterval), "PX", ARGV[4])
  end
end
redis.call("set", KEYS[3], string.format("%.0f", slot + tonumber(ARGV[3])), "PX", ARGV[4])
-- The chat's gap counts from the send, which waits for its slot.
redis.call("set", KEYS[2], "1", "PX", tonumber(ARGV[2]) + math.ceil((sendAt - now) / 1000))
return {0, sendAt - now, paid}
`;

// KEYS: the global schedule, the free schedule. ARGV: pause (ms). Moves the next slot of both to
// now + pause, never back.
const PAUSE_SCRIPT = `
local t = redis.call("time")
local resume = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1]) * 1000
for i = 1, 2 do
  if resume > tonumber(redis.call("get", KEYS[i]) or "0") then
    redis.call("set", KEYS[i], string.format("%.0f", resume), "PX", tonumber(ARGV[1]) + 60000)
  end
end
return 0
`;

/** The schedule key outlives any wait it can hold (waits are bounded by the sends in flight). */
const SCHEDULE_TTL_MS = 10 * 60_000;

type AdmissionCommands = {
  kzuzAdmitSend(
    sentKey: string,
    paceKey: string,
    scheduleKey: string,
    freeScheduleKey: string,
    unpaidKey: string,
    chatId: number,
    paceMs: number,
    intervalUs: number,
    ttlMs: number,
    freeIntervalUs: number,
    paid: 0 | 1,
    maxFreeWaitUs: number,
  ): Promise<[number, number, number?]>;
  kzuzPauseSends(scheduleKey: string, freeScheduleKey: string, pauseMs: number): Promise<number>;
};

export type SendAdmissionOptions = {
  redis: Redis;
  keys: RedisKeys;
  /** Messages per second for the whole bot, across all processes (SEND_RATE_LIMIT). */
  ratePerSecond: number;
  /**
   * PAID_BROADCAST mode: the rate of messages sent without paying (FREE_SEND_RATE_LIMIT). Unset:
   * one schedule at `ratePerSecond`, nothing is ever flagged.
   */
  freeRatePerSecond?: number;
};

/** The longest a send waits for its free slot; further away, the job goes back to the queue (as the worker's MAX_SLOT_WAIT_MS). */
const MAX_FREE_WAIT_MS = 2000;

/** The Redis side of "may this message go now?". Cheap to create; safe in many processes. */
export class SendAdmission {
  private readonly commands: AdmissionCommands;
  private readonly keys: RedisKeys;
  private readonly redis: Redis;
  private readonly intervalUs: number;
  private readonly freeIntervalUs: number;

  constructor(options: SendAdmissionOptions) {
    this.keys = options.keys;
    this.redis = options.redis;
    this.intervalUs = slotIntervalUs(options.ratePerSecond);
    this.freeIntervalUs =
      options.freeRatePerSecond === undefined ? 0 : slotIntervalUs(options.freeRatePerSecond);
    // defineCommand sends EVALSHA and falls back to EVAL once after a Redis restart (NOSCRIPT).
    options.redis.defineCommand("kzuzAdmitSend", { numberOfKeys: 5, lua: ADMIT_SCRIPT });
    options.redis.defineCommand("kzuzPauseSends", { numberOfKeys: 2, lua: PAUSE_SCRIPT });
    this.commands = options.redis as unknown as AdmissionCommands;
  }

  /**
   * Checks the ledger, takes the chat's pace slot and reserves a global slot, in that order: a
   * duplicate or a paced chat reserves nothing. `paid`: the job is a paid broadcast's (it may go
   * flagged when no free slot is open; never without PAID_BROADCAST).
   */
  async admit(refToken: string, chatId: number, paceMs: number, paid = false): Promise<Admission> {
    const [code, value, flagged] = await this.commands.kzuzAdmitSend(
      this.keys.deliverySent(refToken),
      this.keys.deliveryPace(chatId),
      this.keys.deliverySchedule,
      this.keys.deliveryFreeSchedule,
      this.keys.deliveryUnpaid(refToken),
      chatId,
      paceMs,
      this.intervalUs,
      SCHEDULE_TTL_MS,
      this.freeIntervalUs,
      paid ? 1 : 0,
      MAX_FREE_WAIT_MS * 1000,
    );
    if (code === 2) return { verdict: "duplicate" };
    if (code === 1 || code === 3) return { verdict: "paced", delayMs: Math.max(1, Number(value)) };
    return { verdict: "send", waitMs: Number(value) / 1000, paid: flagged === 1 };
  }

  /** Holds every process's sends back for `ms` (Telegram's retry_after). */
  async pause(ms: number): Promise<void> {
    await this.commands.kzuzPauseSends(
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

/** Distance between two sends' slots at a rate, in whole microseconds; rounded up, never over the rate. */
export function slotIntervalUs(ratePerSecond: number): number {
  return Math.max(1, Math.ceil(1_000_000 / ratePerSecond));
}
