import { z } from "zod";
import { isLanguage, type Language } from "../i18n/languages.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "./keys.js";
import type { Redis } from "./redis.js";

const languageField = z
  .string()
  .refine(isLanguage, "unknown language")
  .transform((v) => v as Language);

/**
 * Per-chat profiles (a private chat's id is the user's id). Stored as a small Redis hash so
 * later features add fields without rewriting records.
 */
export class ProfileStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  /** The stored language, or undefined for a new chat or a corrupt value (which is reported). */
  async getLanguage(chatId: number): Promise<Language | undefined> {
    const key = this.keys.profile(chatId);
    const raw = await this.redis.hget(key, "lang");
    if (raw === null) return undefined;
    const parsed = languageField.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn({ key }, "invalid language in profile; using the detected one");
      return undefined;
    }
    return parsed.data;
  }

  /**
   * Stores the language detected on first contact unless one is already stored, and returns the
   * language in force. Atomic, so two instances racing on a first message agree.
   */
  async ensureLanguage(chatId: number, detected: Language): Promise<Language> {
    const key = this.keys.profile(chatId);
    const created = await this.redis.hsetnx(key, "lang", detected);
    if (created === 1) return detected;
    return (await this.getLanguage(chatId)) ?? detected;
  }

  async setLanguage(chatId: number, language: Language): Promise<void> {
    await this.redis.hset(this.keys.profile(chatId), "lang", language);
  }
}
