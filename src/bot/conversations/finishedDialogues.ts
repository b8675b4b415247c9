import type { RedisKeys } from "../../storage/keys.js";
import type { Redis } from "../../storage/redis.js";

/**
 * Long enough for any double tap queued behind the press that finished a dialogue; short enough
 * that the marks never pile up.
 */
const FINISHED_TTL_SECONDS = 10 * 60;

/**
 * Which dialogue messages finished recently. A second tap on "Confirm" or "Done" reaches the bot
 * after the dialogue has ended; knowing that its message finished lets the bot answer it
 * silently instead of with "This button is no longer active".
 */
export class FinishedDialogues {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async mark(chatId: number, messageId: number): Promise<void> {
    await this.redis.set(this.keys.dialogueFinished(chatId, messageId), "1", "EX", FINISHED_TTL_SECONDS);
  }

  async has(chatId: number, messageId: number): Promise<boolean> {
    return (await this.redis.exists(this.keys.dialogueFinished(chatId, messageId))) === 1;
  }
}
