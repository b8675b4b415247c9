import { createHash } from "node:crypto";
import { z } from "zod";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import { parseStoredJson } from "../storage/records.js";
import type { Redis } from "../storage/redis.js";
import type { ChartSource } from "./ratesService.js";

/**
 * Rendered rates charts, remembered as the `file_id` Telegram gave the first upload, so that
 * every later /rates in any process sends a short string instead of drawing and uploading a PNG
 * again. One entry per chart id (period, language, rates date and a hash of the drawn data), so
 * an NBK correction that RateHistory.save writes over a day gives a new id, and the old file_id
 * is simply never asked for again.
 */

/** Two days: a chart's window moves daily, so an entry is dead after a day or two anyway. */
export const CHART_FILE_TTL_SECONDS = 2 * 86_400;

/**
 * The chart's identity: `<days>d:<language>:<rates date>:<hash>`. The hash covers every point,
 * the currency and the title, so any change of what would be drawn changes the id. Pure.
 */
export function chartId(source: ChartSource): string {
  const drawn = JSON.stringify([source.currency, source.title, source.locale, source.points]);
  const hash = createHash("sha256").update(drawn).digest("base64url").slice(0, 16);
  return `${source.days}d:${source.language}:${source.ratesDate}:${hash}`;
}

const storedFileSchema = z.object({
  // Telegram's file_ids are opaque, URL-safe and well under 200 characters.
  fileId: z.string().min(1).max(256),
  storedAt: z.string(),
});

/** Chart id → Telegram file_id in Redis, with a TTL. Reads are validated; a bad record is a miss. */
export class ChartFileCache {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
    private readonly ttlSeconds = CHART_FILE_TTL_SECONDS,
  ) {}

  /** The file_id of this chart, if one was stored and has not expired or been forgotten. */
  async get(id: string): Promise<string | undefined> {
    const key = this.keys.ratesChartFile(id);
    return parseStoredJson(storedFileSchema, await this.redis.get(key), key, this.logger)?.fileId;
  }

  async remember(id: string, fileId: string): Promise<void> {
    const record = storedFileSchema.parse({ fileId, storedAt: new Date().toISOString() });
    await this.redis.set(this.keys.ratesChartFile(id), JSON.stringify(record), "EX", this.ttlSeconds);
  }

  /**
   * Claims the drawing of a chart for `ms` across processes (SET NX): true for the one process
   * that should draw and upload it, false while another one is at it.
   */
  async claimDrawing(id: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.keys.ratesChartDrawing(id), "1", "PX", ms, "NX")) === "OK";
  }

  /** Ends a claim early (the upload finished or failed), so nobody waits out its expiry. */
  async releaseDrawing(id: string): Promise<void> {
    await this.redis.del(this.keys.ratesChartDrawing(id));
  }

  /**
   * Drops the entry, only if it still holds `fileId` (Telegram refused that one): another
   * process may already have stored a fresh upload under the same id.
   */
  async forget(id: string, fileId: string): Promise<void> {
    const key = this.keys.ratesChartFile(id);
    if ((await this.get(id)) === fileId) await this.redis.del(key);
  }
}
