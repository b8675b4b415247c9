/**
 * The delivery counters an admin reads: per local day (sent, rate-limited, deactivated:blocked,
 * dead:502, …) and per tracked ref (a broadcast's progress: sent, duplicate, blocked, failed, …).
 * Counting never fails a delivery: a counter that could not be written is only a counter.
 */
import { localDate } from "../localDate.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import { type DeliveryJob, deliveryRef, refToken, type SentCounter } from "./queue.js";

/** Day counters outlive the admin's "last 30 days" view. */
const STATS_TTL_MS = 40 * 86_400_000;

export class DeliveryStats {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly timeZone: string,
    /** Per-ref counters live as long as the ledger of the ref. */
    private readonly refTtlMs: number,
  ) {}

  /** Today's counter `field`, for a write that bumps it in its own transaction (the ledger's). */
  counter(field: string): SentCounter {
    return { key: this.keys.deliveryStats(localDate(this.timeZone)), field, ttlMs: STATS_TTL_MS };
  }

  /** Bumps today's counter `field`. */
  async count(field: string): Promise<void> {
    const c = this.counter(field);
    await this.redis
      .multi()
      .hincrby(c.key, c.field, 1)
      .pexpire(c.key, c.ttlMs)
      .exec()
      .catch(() => {});
  }

  /** Bumps a tracked job's per-ref counter (broadcast progress reads them); others have none. */
  async countRef(data: DeliveryJob, field: string): Promise<void> {
    if (!isTracked(data)) return;
    const key = this.keys.deliveryRefStats(refToken(deliveryRef(data)));
    await this.redis
      .multi()
      .hincrby(key, field, 1)
      .pexpire(key, this.refTtlMs)
      .exec()
      .catch(() => {});
  }

  /** A day's counters (local day in TIMEZONE). */
  async of(isoDate = localDate(this.timeZone)): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.keys.deliveryStats(isoDate));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }
}

/** Jobs with per-ref counters and a cancel mark: an admin's tracked broadcast copies. */
export function isTracked(data: DeliveryJob): boolean {
  return data.kind === "copy" && data.track === true;
}

/** "502 Bad Gateway" → "502", "network: …" → "network": a counter field per kind of failure. */
export function reasonClass(reason: string): string {
  const first = /^[A-Za-z0-9-]+/.exec(reason)?.[0] ?? "other";
  return first.toLowerCase().slice(0, 30);
}
