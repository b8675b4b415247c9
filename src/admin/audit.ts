/**
 * The audit log of admin actions: who did what, when, and to how many chats. A capped Redis
 * LIST, newest first, so it never grows without bound and `/audit` reads it in one call.
 */
import { z } from "zod";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import { parseStoredJson } from "../storage/records.js";
import type { Redis } from "../storage/redis.js";

/** One admin action. `detail` is short and free of secrets (ids, feed ids, counts). */
export type AuditEntry = {
  /** ISO time of the action. */
  at: string;
  adminId: number;
  /** What was done, e.g. `broadcast`, `broadcast-cancel`, `feeds-pause`, `stats`. */
  action: string;
  detail?: string;
  /** Chats a broadcast went (or was meant) to. */
  audience?: number;
};

const auditEntrySchema = z.object({
  at: z.string(),
  adminId: z.number().int(),
  action: z.string().min(1).max(60),
  detail: z.string().max(300).optional(),
  audience: z.number().int().nonnegative().optional(),
});

/** Entries kept; older ones are dropped on every write. */
export const AUDIT_LOG_LIMIT = 1000;

/** The audit log in Redis (`keys.adminAudit`). */
export class AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  /** Appends an entry (time filled in when absent) and trims the list to its cap. */
  async record(entry: Omit<AuditEntry, "at"> & { at?: string }): Promise<void> {
    const full: AuditEntry = { at: entry.at ?? new Date().toISOString(), ...entry };
    if (full.detail !== undefined) full.detail = full.detail.slice(0, 300);
    await this.redis
      .multi()
      .lpush(this.keys.adminAudit, JSON.stringify(full))
      .ltrim(this.keys.adminAudit, 0, AUDIT_LOG_LIMIT - 1)
      .exec();
    this.logger.info({ adminId: full.adminId, action: full.action, audience: full.audience }, "admin action");
  }

  /** The newest `limit` entries, newest first; unreadable ones are skipped. */
  async latest(limit = 20): Promise<AuditEntry[]> {
    const raws = await this.redis.lrange(this.keys.adminAudit, 0, limit - 1);
    return raws.flatMap((raw) => {
      const entry = parseStoredJson(auditEntrySchema, raw, this.keys.adminAudit, this.logger);
      return entry ? [entry as AuditEntry] : [];
    });
  }
}
