/**
 * Every Lua script the bot runs, in one place, loaded one way: `defineCommand` (EVALSHA, with one
 * EVAL fallback after a Redis restart forgot the script: NOSCRIPT). Each script opens with the
 * KEYS and ARGV it takes; what it returns has names (the `*_CODE` objects), not bare 0/1/2.
 *
 * A script is the answer wherever two processes must not interleave a read and a write (the
 * lock's compare-then-delete, the send admission's ledger → pace → slot) or where one round trip
 * must replace thousands (the subscriber walk).
 */
import type { Redis } from "./redis.js";

/** What `kzuzAdmitSend` decided (first element of its reply). */
export const ADMIT_CODE = {
  /** Send after the second element (µs until the global slot; usually 0). */
  SEND: 0,
  /** The chat got a message too recently: the second element is ms until its pace slot frees. */
  PACED: 1,
  /** The ledger already holds this chat for the ref. */
  DUPLICATE: 2,
  /**
   * The schedule is booked further ahead than the sender may reserve (interactive sends go
   * first): nothing was reserved; the second element is µs until it may ask again.
   */
  BUSY: 3,
  /**
   * PAID_BROADCAST mode: the free schedule (FREE_SEND_RATE_LIMIT) is booked further ahead than
   * the sender may reserve, and this message may not go paid. Nothing was reserved (booking it
   * would push the free schedule ever further); the second element is µs until it may ask again.
   */
  FREE_BUSY: 4,
} as const;

/** What `kzuzPauseSends` did. */
export const PAUSE_CODE = {
  /** The schedule now resumes `pause` ms from now. */
  MOVED: 1,
  /** The schedule was already further away (an earlier, longer pause); left alone. */
  ALREADY_LATER: 0,
} as const;

/** What `kzuzLockRenew` / `kzuzLockRelease` found. */
export const LOCK_CODE = {
  /** The key held the caller's token: renewed or deleted. */
  HELD: 1,
  /** Another holder's token, or no key (the lock expired): nothing touched. */
  NOT_HELD: 0,
} as const;

// Shared by the admission scripts. KEYS[2] (pace key of the chat) holds "the chat is busy" with
// an expiry at its theoretical next free time (GCRA: pttl = TAT − now); KEYS[3] (or KEYS[2] in
// TAKE_SLOT) the bot-wide schedule: the next free send slot, µs of Redis's clock. Times are
// formatted with %.0f: Lua's tostring would print 1.7e+15 and lose the microseconds.
const NOW = `
local t = redis.call("time")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
`;

// KEYS[1] sent set of the ref (the ledger)
// KEYS[2] pace key of the chat
// KEYS[3] the bot-wide schedule
// KEYS[4] the free schedule (PAID_BROADCAST mode; not read when ARGV[6] is 0)
// KEYS[5] the ref's unpaid mark: Telegram refused it for want of Stars (not read when ARGV[6] is 0)
// ARGV[1] chat id
// ARGV[2] pace gap of the chat (ms)
// ARGV[3] slot interval (µs): 1 / SEND_RATE_LIMIT
// ARGV[4] schedule key expiry (ms)
// ARGV[5] horizon (µs): the furthest ahead this sender may reserve; -1 for none
// ARGV[6] free slot interval (µs): 1 / FREE_SEND_RATE_LIMIT; 0 when paid broadcasts are off
// ARGV[7] 1 when the message is a paid broadcast's, else 0
// Returns {ADMIT_CODE.SEND, µs to wait, 1 if it goes paid else 0} | {ADMIT_CODE.PACED, ms until
// the chat's pace slot frees} | {ADMIT_CODE.DUPLICATE, 0} | {ADMIT_CODE.BUSY, µs until it may ask
// again} | {ADMIT_CODE.FREE_BUSY, µs until it may ask again}. Only SEND writes.
// Paid mode: everything keeps to the free schedule as well, except a paid broadcast's message
// when no free slot is open by its global slot: that one goes at its global slot, paid (flagged
// allow_paid_broadcast), and books no free slot.
// A pace key without expiry (pttl -1) cannot be written by these scripts; -2 is "no key".
const ADMIT_SEND = `
if redis.call("sismember", KEYS[1], ARGV[1]) == 1 then return {${ADMIT_CODE.DUPLICATE}, 0} end
local busy = redis.call("pttl", KEYS[2])
if busy > 0 then return {${ADMIT_CODE.PACED}, busy} end
${NOW}
local slot = math.max(now, tonumber(redis.call("get", KEYS[3]) or "0"))
local horizon = tonumber(ARGV[5])
if horizon >= 0 and slot - now > horizon then return {${ADMIT_CODE.BUSY}, slot - now - horizon} end
local sendAt = slot
local paid = 0
local freeInterval = tonumber(ARGV[6])
if freeInterval > 0 then
  local free = math.max(now, tonumber(redis.call("get", KEYS[4]) or "0"))
  if ARGV[7] == "1" and free > slot and redis.call("exists", KEYS[5]) == 0 then
    paid = 1
  else
    if horizon >= 0 and free - now > horizon then return {${ADMIT_CODE.FREE_BUSY}, free - now - horizon} end
    sendAt = math.max(slot, free)
    redis.call("set", KEYS[4], string.format("%.0f", sendAt + freeInterval), "PX", ARGV[4])
  end
end
redis.call("set", KEYS[3], string.format("%.0f", slot + tonumber(ARGV[3])), "PX", ARGV[4])
-- The chat's gap counts from the send, which waits for its slot.
redis.call("set", KEYS[2], "1", "PX", tonumber(ARGV[2]) + math.ceil((sendAt - now) / 1000))
return {${ADMIT_CODE.SEND}, sendAt - now, paid}
`;

// An interactive message (a reply: a person is waiting): no ledger, no horizon, and the chat may
// take a short burst as Telegram allows ("short bursts that go over this limit").
// KEYS[1] pace key of the chat
// KEYS[2] the bot-wide schedule
// KEYS[3] the free schedule (not read when ARGV[5] is 0)
// ARGV[1] pace gap of the chat (ms)
// ARGV[2] slot interval (µs)
// ARGV[3] schedule key expiry (ms)
// ARGV[4] burst tolerance (ms): how far the chat's next free time may be ahead and still send
// ARGV[5] free slot interval (µs); 0 when paid broadcasts are off
// Returns {ADMIT_CODE.SEND, µs to wait} | {ADMIT_CODE.PACED, ms until the chat may send}.
// A reply is never paid: in paid mode it waits for a free slot too, however far.
const ADMIT_REPLY = `
local ahead = math.max(0, redis.call("pttl", KEYS[1]))
if ahead > tonumber(ARGV[4]) then return {${ADMIT_CODE.PACED}, ahead - tonumber(ARGV[4])} end
${NOW}
local slot = math.max(now, tonumber(redis.call("get", KEYS[2]) or "0"))
redis.call("set", KEYS[2], string.format("%.0f", slot + tonumber(ARGV[2])), "PX", ARGV[3])
local sendAt = slot
local freeInterval = tonumber(ARGV[5])
if freeInterval > 0 then
  sendAt = math.max(slot, tonumber(redis.call("get", KEYS[3]) or "0"))
  redis.call("set", KEYS[3], string.format("%.0f", sendAt + freeInterval), "PX", ARGV[3])
end
local wait = math.ceil((sendAt - now) / 1000)
redis.call("set", KEYS[1], "1", "PX", math.max(ahead, wait) + tonumber(ARGV[1]))
return {${ADMIT_CODE.SEND}, sendAt - now}
`;

// A call that counts against the bot-wide limit but not a chat's (an edit).
// KEYS[1] the bot-wide schedule
// KEYS[2] the free schedule (not read when ARGV[3] is 0): an edit is never paid
// ARGV[1] slot interval (µs)
// ARGV[2] schedule key expiry (ms)
// ARGV[3] free slot interval (µs); 0 when paid broadcasts are off
// Returns {ADMIT_CODE.SEND, µs to wait}.
const TAKE_SLOT = `
${NOW}
local slot = math.max(now, tonumber(redis.call("get", KEYS[1]) or "0"))
redis.call("set", KEYS[1], string.format("%.0f", slot + tonumber(ARGV[1])), "PX", ARGV[2])
local sendAt = slot
if tonumber(ARGV[3]) > 0 then
  sendAt = math.max(slot, tonumber(redis.call("get", KEYS[2]) or "0"))
  redis.call("set", KEYS[2], string.format("%.0f", sendAt + tonumber(ARGV[3])), "PX", ARGV[2])
end
return {${ADMIT_CODE.SEND}, sendAt - now}
`;

// KEYS[1] the bot-wide schedule (as in ADMIT_SEND)
// KEYS[2] the free schedule (as in ADMIT_SEND; moved alike, harmless when paid mode is off)
// ARGV[1] pause (ms): Telegram's retry_after
// Moves the next slot of both to now + pause, never back. Returns a PAUSE_CODE (of KEYS[1]).
const PAUSE_SENDS = `
local t = redis.call("time")
local resume = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1]) * 1000
local moved = ${PAUSE_CODE.ALREADY_LATER}
for i = 1, 2 do
  if resume > tonumber(redis.call("get", KEYS[i]) or "0") then
    redis.call("set", KEYS[i], string.format("%.0f", resume), "PX", tonumber(ARGV[1]) + 60000)
    if i == 1 then moved = ${PAUSE_CODE.MOVED} end
  end
end
return moved
`;

// Compare-then-act in one script: between a GET and a DEL another process could have taken the
// expired lock, and a plain DEL would release *its* lock.
// KEYS[1] the lock key
// ARGV[1] the holder's token
// Returns a LOCK_CODE.
const LOCK_RELEASE = `
if redis.call("get", KEYS[1]) == ARGV[1] then redis.call("del", KEYS[1]) return ${LOCK_CODE.HELD} end
return ${LOCK_CODE.NOT_HELD}
`;

// KEYS[1] the lock key
// ARGV[1] the holder's token
// ARGV[2] the new expiry (ms)
// Returns a LOCK_CODE.
const LOCK_RENEW = `
if redis.call("get", KEYS[1]) == ARGV[1] then redis.call("pexpire", KEYS[1], ARGV[2]) return ${LOCK_CODE.HELD} end
return ${LOCK_CODE.NOT_HELD}
`;

// KEYS[1..n] profile hashes
// ARGV[1..m] the fields to read from each
// Returns the n × m values flat, in order; a missing one is "" (a nil would end a Lua array).
const PROFILE_FIELDS = `
local out = {}
for _, key in ipairs(KEYS) do
  local values = redis.call("hmget", key, unpack(ARGV))
  for i = 1, #ARGV do out[#out + 1] = values[i] or "" end
end
return out
`;

// KEYS[1] the chat's flood counter (keys.floodCount)
// ARGV[1] the window in ms
// ARGV[2] "1" when the update is queued (sent before the previous answer), "0" otherwise
// Returns the count in the window: raised for a queued update, only read for one that waited.
// The window starts with the chat's first counted update and is not extended, so a chat that
// pauses is answered again (bot/middleware/floodControl.ts).
const FLOOD_COUNT = `

if ARGV[2] ~= "1" then return tonumber(redis.call("GET", KEYS[1]) or "0") end
local count = redis.call("INCR", KEYS[1])
if count == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
return count
`;

/** The scripts as typed commands on a connection. */
export type Scripts = {
  kzuzAdmitSend(
    sentKey: string,
    paceKey: string,
    scheduleKey: string,
    freeScheduleKey: string,
    unpaidKey: string,
    member: string,
    paceMs: number,
    intervalUs: number,
    ttlMs: number,
    horizonUs: number,
    freeIntervalUs: number,
    paid: 0 | 1,
  ): Promise<[number, number, number?]>;
  kzuzAdmitReply(
    paceKey: string,
    scheduleKey: string,
    freeScheduleKey: string,
    paceMs: number,
    intervalUs: number,
    ttlMs: number,
    burstMs: number,
    freeIntervalUs: number,
  ): Promise<[number, number]>;
  kzuzTakeSlot(
    scheduleKey: string,
    freeScheduleKey: string,
    intervalUs: number,
    ttlMs: number,
    freeIntervalUs: number,
  ): Promise<[number, number]>;
  kzuzPauseSends(scheduleKey: string, freeScheduleKey: string, pauseMs: number): Promise<number>;
  kzuzLockRelease(key: string, token: string): Promise<number>;
  kzuzLockRenew(key: string, token: string, ttlMs: number): Promise<number>;
  /** Variadic keys: the key count goes first. */
  kzuzProfileFields(numberOfKeys: number, ...keysThenFields: string[]): Promise<string[]>;
  kzuzFloodCount(key: string, windowMs: number, queued: "1" | "0"): Promise<number>;
};

const DEFINITIONS: Record<keyof Scripts, { numberOfKeys?: number; lua: string }> = {
  kzuzAdmitSend: { numberOfKeys: 5, lua: ADMIT_SEND },
  kzuzAdmitReply: { numberOfKeys: 3, lua: ADMIT_REPLY },
  kzuzTakeSlot: { numberOfKeys: 2, lua: TAKE_SLOT },
  kzuzPauseSends: { numberOfKeys: 2, lua: PAUSE_SENDS },
  kzuzLockRelease: { numberOfKeys: 1, lua: LOCK_RELEASE },
  kzuzLockRenew: { numberOfKeys: 1, lua: LOCK_RENEW },
  kzuzProfileFields: { lua: PROFILE_FIELDS },
  kzuzFloodCount: { numberOfKeys: 1, lua: FLOOD_COUNT },
};

const defined = new WeakSet<Redis>();

/** The scripts on this connection, defined on first use (cheap to call every time). */
export function scriptsOf(redis: Redis): Scripts {
  if (!defined.has(redis)) {
    for (const [name, definition] of Object.entries(DEFINITIONS)) redis.defineCommand(name, definition);
    defined.add(redis);
  }
  return redis as unknown as Scripts;
}
