/**
 * Cluster-wide locks: one Redis key with an expiry and a random token, so that a job (the poll
 * cycle, the daily rates message) runs in one process of the cluster at a time, and a crashed
 * holder blocks the others only until the expiry.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "../logger.js";
import type { Redis } from "./redis.js";
import { LOCK_CODE, scriptsOf } from "./scripts.js";

/** A held lock. Only its own token can renew or release it. */
export type ClusterLock = {
  key: string;
  token: string;
  /** Extends the expiry; false when the lock was lost (expired and maybe taken by another). */
  renew(): Promise<boolean>;
  /** Deletes the key if it still holds this lock's token; never touches another holder's lock. */
  release(): Promise<void>;
};

/** Tries once to take the lock; undefined when another holder has it. */
export async function acquireLock(
  redis: Redis,
  key: string,
  ttlMs: number,
): Promise<ClusterLock | undefined> {
  const token = randomBytes(16).toString("hex");
  const reply = await redis.set(key, token, "PX", ttlMs, "NX");
  if (reply !== "OK") return undefined;
  return {
    key,
    token,
    async renew() {
      return (await scriptsOf(redis).kzuzLockRenew(key, token, ttlMs)) === LOCK_CODE.HELD;
    },
    async release() {
      await scriptsOf(redis).kzuzLockRelease(key, token);
    },
  };
}

export type WithLockResult<T> = { acquired: true; value: T } | { acquired: false };

/**
 * Runs `task` while holding the lock, renewing it every third of its expiry, and releases it after.
 * If a renewal finds the lock lost (Redis was away longer than the expiry), `signal` passed to the
 * task aborts so the task can stop early: another process may be running the same job by then.
 * Returns `{acquired: false}` without running the task when someone else holds the lock.
 */
export async function withLock<T>(
  redis: Redis,
  key: string,
  ttlMs: number,
  task: (signal: AbortSignal) => Promise<T>,
  logger?: Logger,
): Promise<WithLockResult<T>> {
  const lock = await acquireLock(redis, key, ttlMs);
  if (!lock) return { acquired: false };
  const lost = new AbortController();
  const timer = setInterval(
    () => {
      lock.renew().then(
        (held) => {
          if (!held && !lost.signal.aborted) {
            logger?.warn({ key }, "cluster lock lost while running; stopping the task");
            lost.abort(new Error(`lock ${key} lost`));
          }
        },
        (err: unknown) => {
          // Redis briefly unreachable: keep running, the next renewal decides.
          logger?.warn({ key, err }, "lock renewal failed");
        },
      );
    },
    Math.max(Math.floor(ttlMs / 3), 10),
  );
  timer.unref?.();
  try {
    return { acquired: true, value: await task(lost.signal) };
  } finally {
    clearInterval(timer);
    await lock.release().catch((err: unknown) => {
      logger?.warn({ key, err }, "lock release failed");
    });
  }
}
