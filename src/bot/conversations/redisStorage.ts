import type { VersionedState } from "@grammyjs/conversations";
import type { RedisKeys } from "../../storage/keys.js";
import type { Redis } from "../../storage/redis.js";

/** A dialogue left unfinished for this long is forgotten (its buttons then answer "expired"). */
const CONVERSATION_TTL_SECONDS = 24 * 60 * 60;

/**
 * Conversation state in Redis, so a restart (or another instance) continues a dialogue where the
 * user left it. The plugin versions the state itself; unreadable JSON reads as no state, which
 * ends the dialogue instead of crashing.
 */
export function redisConversationStorage<S>(redis: Redis, keys: RedisKeys) {
  return {
    async read(key: string): Promise<VersionedState<S> | undefined> {
      const raw = await redis.get(keys.conversation(key));
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as VersionedState<S>;
      } catch {
        return undefined;
      }
    },
    async write(key: string, state: VersionedState<S>): Promise<void> {
      await redis.set(keys.conversation(key), JSON.stringify(state), "EX", CONVERSATION_TTL_SECONDS);
    },
    async delete(key: string): Promise<void> {
      await redis.del(keys.conversation(key));
    },
  };
}
