/**
 * What other modules may know about a delivery ref (`broadcast:<id>`, `rates:<day>`): its outcome
 * counters as the worker keeps them, and the mark that makes the worker skip what is still queued
 * of it. The key layout stays inside delivery.
 */
import type { ChainableCommander } from "ioredis";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import { refToken } from "./queue.js";

/** The worker's outcome counters of one ref (field → count, as stored). */
export async function refOutcomeCounts(
  redis: Redis,
  keys: RedisKeys,
  ref: string,
): Promise<Record<string, string>> {
  return redis.hgetall(keys.deliveryRefStats(refToken(ref)));
}

/**
 * Marks a ref cancelled for `ttlMs`: the worker skips its queued jobs without sending. Takes a
 * transaction or pipeline so the caller can make it part of its own atomic step.
 */
export function markRefCancelled(tx: ChainableCommander, keys: RedisKeys, ref: string, ttlMs: number): void {
  tx.set(keys.deliveryCancelled(refToken(ref)), "1", "PX", ttlMs);
}

/** Counts chats the ledger turned away at enqueue as `duplicate`, so a ref's counters add up. */
export async function countAlreadySent(
  redis: Redis,
  keys: RedisKeys,
  ref: string,
  count: number,
): Promise<void> {
  if (count > 0) await redis.hincrby(keys.deliveryRefStats(refToken(ref)), "duplicate", count);
}
