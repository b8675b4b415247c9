/**
 * Admission of one send, decided in Redis so that every worker process on the queue agrees:
 *
 * 1. the ledger: a chat that already received this ref is skipped;
 * 2. per-chat pacing: the chat's pace slot is taken, or the time until it frees is returned;
 * 3. the global rate: a slot in one shared schedule of sends, spaced `1/SEND_RATE_LIMIT` apart.
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
  /** Send after `waitMs` (the global slot's distance from now; usually 0). */
  | { verdict: "send"; waitMs: number }
  /** The chat got a message too recently: try again in `delayMs`. */
  | { verdict: "paced"; delayMs: number }
  /** The ledger says this chat already received the ref. */
  | { verdict: "duplicate" };

// KEYS: sent set of the ref, pace key of the chat, the global schedule.
// ARGV: ledger member (the destination key: chat id, or chat:thread for a forum topic), pace gap (ms), slot interval (µs), schedule key expiry (ms).
// Returns {0, µs to wait} | {1, ms until the chat's pace slot frees} | {2, 0}. A pace key
// without expiry (pttl -1) cannot be written by this script; -2 is "no key".
// Times are formatted with %.0f: Lua's tostring would print 1.7e+15 and lose the microseconds.
const ADMIT_SCRIPT = `
if redis.call("sismember", KEYS[1], ARGV[1]) == 1 then return {2, 0} end
local busy = redis.call("pttl", KEYS[2])
if busy > 0 then return {1, busy} end
local t = redis.call("time")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local slot = math.max(now, tonumber(redis.call("get", KEYS[3]) or "0"))
redis.call("set", KEYS[3], string.format("%.0f", slot + tonumber(ARGV[3])), "PX", ARGV[4])
-- The chat's gap counts from the send, which waits for its global slot.
redis.call("set", KEYS[2], "1", "PX", tonumber(ARGV[2]) + math.ceil((slot - now) / 1000))
return {0, slot - now}
`;

// KEYS: the global schedule. ARGV: pause (ms). Moves the next free slot to now + pause, never back.
const PAUSE_SCRIPT = `
local t = redis.call("time")
local resume = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1]) * 1000
if resume > tonumber(redis.call("get", KEYS[1]) or "0") then
  redis.call("set", KEYS[1], string.format("%.0f", resume), "PX", tonumber(ARGV[1]) + 60000)
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
    member: string,
    paceMs: number,
    intervalUs: number,
    ttlMs: number,
  ): Promise<[number, number]>;
  kzuzPauseSends(scheduleKey: string, pauseMs: number): Promise<number>;
};

export type SendAdmissionOptions = {
  redis: Redis;
  keys: RedisKeys;
  /** Messages per second for the whole bot, across all processes (SEND_RATE_LIMIT). */
  ratePerSecond: number;
};

/** The Redis side of "may this message go now?". Cheap to create; safe in many processes. */
export class SendAdmission {
  private readonly commands: AdmissionCommands;
  private readonly keys: RedisKeys;
  private readonly intervalUs: number;

  constructor(options: SendAdmissionOptions) {
    this.keys = options.keys;
    this.intervalUs = slotIntervalUs(options.ratePerSecond);
    // defineCommand sends EVALSHA and falls back to EVAL once after a Redis restart (NOSCRIPT).
    options.redis.defineCommand("kzuzAdmitSend", { numberOfKeys: 3, lua: ADMIT_SCRIPT });
    options.redis.defineCommand("kzuzPauseSends", { numberOfKeys: 1, lua: PAUSE_SCRIPT });
    this.commands = options.redis as unknown as AdmissionCommands;
  }

  /**
   * Checks the ledger, takes the chat's pace slot and reserves a global slot, in that order: a
   * duplicate or a paced chat reserves nothing.
   */
  /**
   * `member` is the ledger's name for the destination (a forum topic's `chat:thread`); pacing is
   * per chat, because Telegram's 20 a minute is the whole group's, whatever topic a message goes to.
   */
  async admit(refToken: string, chatId: number, paceMs: number, member = String(chatId)): Promise<Admission> {
    const [code, value] = await this.commands.kzuzAdmitSend(
      this.keys.deliverySent(refToken),
      this.keys.deliveryPace(chatId),
      this.keys.deliverySchedule,
      member,
      paceMs,
      this.intervalUs,
      SCHEDULE_TTL_MS,
    );
    if (code === 2) return { verdict: "duplicate" };
    if (code === 1) return { verdict: "paced", delayMs: Math.max(1, Number(value)) };
    return { verdict: "send", waitMs: Number(value) / 1000 };
  }

  /** Holds every process's sends back for `ms` (Telegram's retry_after). */
  async pause(ms: number): Promise<void> {
    await this.commands.kzuzPauseSends(this.keys.deliverySchedule, Math.max(0, Math.ceil(ms)));
  }
}

/** Distance between two sends' slots at a rate, in whole microseconds; rounded up, never over the rate. */
export function slotIntervalUs(ratePerSecond: number): number {
  return Math.max(1, Math.ceil(1_000_000 / ratePerSecond));
}
