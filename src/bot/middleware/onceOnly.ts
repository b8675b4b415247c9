import type { MiddlewareFn } from "grammy";
import type { RedisKeys } from "../../storage/keys.js";
import type { Redis } from "../../storage/redis.js";

/** Long enough to outlast any redelivery: Telegram keeps unconfirmed updates for 24 hours at most. */
const SEEN_TTL_SECONDS = 24 * 60 * 60;

/**
 * Handles each update once in the whole cluster. Telegram may deliver an update again: to a new
 * polling instance after the previous one died before confirming it, or as a webhook retry when
 * an answer was slow. The first instance to claim the id (SET NX) handles it; a repeat is dropped.
 */
export function onceOnly(redis: Redis, keys: RedisKeys): MiddlewareFn {
  return async (ctx, next) => {
    const claimed = await redis.set(keys.update(ctx.update.update_id), "1", "EX", SEEN_TTL_SECONDS, "NX");
    if (claimed === "OK") await next();
  };
}
