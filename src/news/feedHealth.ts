/**
 * Per-feed health (is the feed answering, since when is it failing, when to try it again) and the
 * conditional-GET cache (ETag / Last-Modified) that lets an unchanged feed answer 304.
 *
 * The decisions (`nextBackoff`, `shouldSkip`, `applyPollOutcome`) are pure; the stores only keep
 * the records, in Redis for the bot and in memory for `preview`.
 */
import { z } from "zod";
import { localDate } from "../localDate.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import { parseStoredValue } from "../storage/records.js";
import type { Redis } from "../storage/redis.js";

export type FeedStatus = "ok" | "not-modified" | "failed";

/** What the poller knows about one feed. Times are ISO 8601. */
export type FeedHealth = {
  lastPolledAt: string;
  lastStatus: FeedStatus;
  lastHttpStatus?: number;
  lastSuccessAt?: string;
  lastErrorAt?: string;
  /** Why the last failure happened, in words an admin can act on. */
  lastError?: string;
  consecutiveFailures: number;
  /** New (never seen before) items found in this feed, ever and today. */
  itemsSeenTotal: number;
  itemsToday: number;
  /** The day `itemsToday` counts, YYYY-MM-DD in the configured time zone. */
  itemsTodayDate?: string;
  /** The feed is not polled before this time. */
  backoffUntil?: string;
};

/** Validators of the last 200 answer, sent back as If-None-Match / If-Modified-Since. */
export type HttpCache = { etag?: string; lastModified?: string };

/** The result of one poll of one feed, as the health record sees it. */
export type FeedPollOutcome =
  | { kind: "ok"; newItems: number; httpStatus?: number }
  | { kind: "not-modified" }
  | { kind: "failed"; reason: string; retryable: boolean; httpStatus?: number };

export type BackoffPolicy = { baseMs: number; maxMs: number };

/** 5 minutes (one poll interval) doubling per failure, capped at 6 hours. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5 * 60_000, maxMs: 6 * 3_600_000 };

/**
 * Extra doublings for a failure that retrying soon will not fix (404, not a feed): such a feed is
 * left alone for longer, but still retried, since sites come back.
 */
const NON_RETRYABLE_EXTRA_DOUBLINGS = 3;

/**
 * How long to leave a feed alone after `consecutiveFailures` failures in a row: 0 when it has not
 * failed, then base × 2^(n−1), never more than the cap. Monotonic in n.
 */
export function nextBackoff(consecutiveFailures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!(consecutiveFailures > 0)) return 0;
  // Clamp the exponent so 2^n cannot overflow to Infinity for a feed that failed for months.
  const exponent = Math.min(consecutiveFailures - 1, 30);
  return Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
}

/** True when the feed is backing off at `now` and must not be fetched. */
export function shouldSkip(health: FeedHealth | undefined, now: Date): boolean {
  if (!health?.backoffUntil) return false;
  const until = Date.parse(health.backoffUntil);
  return Number.isFinite(until) && until > now.getTime();
}

/** YYYY-MM-DD of `now` in `timeZone`. */
function dayIn(now: Date, timeZone: string): string {
  return localDate(timeZone, now);
}

/**
 * The health record after one poll. A success or 304 clears the failure streak and the backoff;
 * a failure extends both. Pure.
 */
export function applyPollOutcome(
  previous: FeedHealth | undefined,
  outcome: FeedPollOutcome,
  now: Date,
  options: { timeZone?: string; backoff?: BackoffPolicy } = {},
): FeedHealth {
  const nowIso = now.toISOString();
  const today = dayIn(now, options.timeZone ?? "Asia/Almaty");
  const sameDay = previous?.itemsTodayDate === today;
  const base: FeedHealth = {
    lastPolledAt: nowIso,
    lastStatus: outcome.kind,
    consecutiveFailures: 0,
    itemsSeenTotal: previous?.itemsSeenTotal ?? 0,
    itemsToday: sameDay ? (previous?.itemsToday ?? 0) : 0,
    itemsTodayDate: today,
    ...(previous?.lastSuccessAt ? { lastSuccessAt: previous.lastSuccessAt } : {}),
    ...(previous?.lastErrorAt ? { lastErrorAt: previous.lastErrorAt } : {}),
    ...(previous?.lastError ? { lastError: previous.lastError } : {}),
  };
  switch (outcome.kind) {
    case "ok":
      return {
        ...base,
        lastSuccessAt: nowIso,
        ...(outcome.httpStatus !== undefined ? { lastHttpStatus: outcome.httpStatus } : {}),
        itemsSeenTotal: base.itemsSeenTotal + outcome.newItems,
        itemsToday: base.itemsToday + outcome.newItems,
      };
    case "not-modified":
      return { ...base, lastSuccessAt: nowIso, lastHttpStatus: 304 };
    case "failed": {
      const failures = (previous?.consecutiveFailures ?? 0) + 1;
      const effective = outcome.retryable ? failures : failures + NON_RETRYABLE_EXTRA_DOUBLINGS;
      const waitMs = nextBackoff(effective, options.backoff);
      return {
        ...base,
        consecutiveFailures: failures,
        lastErrorAt: nowIso,
        lastError: outcome.reason,
        ...(outcome.httpStatus !== undefined ? { lastHttpStatus: outcome.httpStatus } : {}),
        backoffUntil: new Date(now.getTime() + waitMs).toISOString(),
      };
    }
  }
}

/** What the poller needs about a feed before fetching it. */
export type FeedState = { health: FeedHealth | undefined; httpCache: HttpCache };

/** Where health records and HTTP caches live: Redis in the bot, memory in `preview`. */
export interface FeedHealthStore {
  /** The state of each feed; a feed without a record gets `health: undefined` and an empty cache. */
  load(feedIds: readonly string[]): Promise<Map<string, FeedState>>;
  /** Replaces the health record; replaces the HTTP cache when one is given (an empty one clears it). */
  save(feedId: string, health: FeedHealth, httpCache?: HttpCache): Promise<void>;
}

// Redis hashes hold strings; numbers and the status are coerced back and checked here.
const feedHealthSchema = z.object({
  lastPolledAt: z.string(),
  lastStatus: z.enum(["ok", "not-modified", "failed"]),
  lastHttpStatus: z.coerce.number().int().optional(),
  lastSuccessAt: z.string().optional(),
  lastErrorAt: z.string().optional(),
  lastError: z.string().optional(),
  consecutiveFailures: z.coerce.number().int().min(0),
  itemsSeenTotal: z.coerce.number().int().min(0),
  itemsToday: z.coerce.number().int().min(0),
  itemsTodayDate: z.string().optional(),
  backoffUntil: z.string().optional(),
});

const httpCacheSchema = z.object({ etag: z.string().optional(), lastModified: z.string().optional() });

function toHash(record: Record<string, string | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = String(v);
  return out;
}

/** Health and HTTP cache as Redis hashes (`feedHealth`, `feedHttpCache`), read in one round trip. */
export class RedisFeedHealthStore implements FeedHealthStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  async load(feedIds: readonly string[]): Promise<Map<string, FeedState>> {
    const pipeline = this.redis.pipeline();
    for (const id of feedIds) {
      pipeline.hgetall(this.keys.feedHealth(id));
      pipeline.hgetall(this.keys.feedHttpCache(id));
    }
    const replies = feedIds.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    const states = new Map<string, FeedState>();
    feedIds.forEach((id, i) => {
      const [healthErr, healthRaw] = replies[2 * i] ?? [null, {}];
      const [cacheErr, cacheRaw] = replies[2 * i + 1] ?? [null, {}];
      if (healthErr) this.logger.warn({ feedId: id, err: healthErr }, "cannot read feed health");
      if (cacheErr) this.logger.warn({ feedId: id, err: cacheErr }, "cannot read feed http cache");
      states.set(id, {
        health: this.parse(feedHealthSchema, healthRaw, this.keys.feedHealth(id)),
        httpCache: this.parse(httpCacheSchema, cacheRaw, this.keys.feedHttpCache(id)) ?? {},
      });
    });
    return states;
  }

  /** One feed's health (for admin commands); undefined when never polled or corrupt. */
  async get(feedId: string): Promise<FeedHealth | undefined> {
    const key = this.keys.feedHealth(feedId);
    return this.parse(feedHealthSchema, await this.redis.hgetall(key), key);
  }

  async save(feedId: string, health: FeedHealth, httpCache?: HttpCache): Promise<void> {
    const healthKey = this.keys.feedHealth(feedId);
    // DEL then HSET in one transaction: fields that no longer apply (an old backoff) disappear,
    // and no reader ever sees a half-written record.
    const tx = this.redis.multi().del(healthKey).hset(healthKey, toHash(health));
    if (httpCache) {
      const cacheKey = this.keys.feedHttpCache(feedId);
      tx.del(cacheKey);
      const fields = toHash(httpCache);
      if (Object.keys(fields).length > 0) tx.hset(cacheKey, fields);
    }
    await tx.exec();
  }

  private parse<S extends z.ZodType>(schema: S, raw: unknown, key: string): z.infer<S> | undefined {
    // HGETALL answers {} for a missing key: that is "no record", not a corrupt one.
    if (!raw || (typeof raw === "object" && Object.keys(raw).length === 0)) return undefined;
    return parseStoredValue(schema, raw, key, this.logger);
  }
}

/** The same store in memory, for `preview` and tests: nothing survives the process. */
export class MemoryFeedHealthStore implements FeedHealthStore {
  private readonly health = new Map<string, FeedHealth>();
  private readonly caches = new Map<string, HttpCache>();

  async load(feedIds: readonly string[]): Promise<Map<string, FeedState>> {
    return new Map(
      feedIds.map((id) => [id, { health: this.health.get(id), httpCache: { ...this.caches.get(id) } }]),
    );
  }

  async save(feedId: string, health: FeedHealth, httpCache?: HttpCache): Promise<void> {
    this.health.set(feedId, { ...health });
    if (httpCache) this.caches.set(feedId, { ...httpCache });
  }
}
