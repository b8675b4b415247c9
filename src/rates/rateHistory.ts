import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import { parseStoredJson } from "../storage/records.js";
import type { Redis } from "../storage/redis.js";
import { addDays, epochDay } from "./dates.js";
import { type OfficialRateSet, officialRateSetSchema } from "./types.js";

/**
 * How long "NBK has no own rates for this date" is remembered. A past weekend never gains rates,
 * so a long memory spares backfill and /rates from asking again; for today it is short, in case
 * the answer was early or wrong.
 */
const NO_OWN_SET_TTL_PAST_S = 120 * 86_400;
const NO_OWN_SET_TTL_TODAY_S = 3600;

/**
 * The official NBK rates history in Redis: one JSON record per date (`ratesDay`) and an index
 * ZSET of dates scored by epoch day (`ratesDates`). Only `source: "nbk"` sets are ever stored,
 * so a CBU cross rate can never pass for an official rate later. Every read is validated; a
 * corrupt record is logged and skipped, never thrown.
 */
export class RateHistory {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  /** Stores (or replaces, e.g. after an NBK correction) the official set of its date. */
  async save(set: OfficialRateSet): Promise<void> {
    // A CBU cross set must never enter official history, whatever the types were bypassed with.
    const checked = officialRateSetSchema.parse(set);
    await this.redis
      .multi()
      .set(this.keys.ratesDay(checked.date), JSON.stringify(checked))
      .zadd(this.keys.ratesDates, epochDay(checked.date), checked.date)
      .del(this.keys.ratesNoOwnSet(checked.date))
      .exec();
  }

  /** The official set of exactly this date, if stored and valid. */
  async get(isoDate: string): Promise<OfficialRateSet | undefined> {
    const key = this.keys.ratesDay(isoDate);
    return parseStoredJson(officialRateSetSchema, await this.redis.get(key), key, this.logger);
  }

  /** The latest valid official set dated on or before `isoDate` (skipping corrupt records). */
  async latestOnOrBefore(isoDate: string): Promise<OfficialRateSet | undefined> {
    const batch = 8;
    for (let offset = 0; ; offset += batch) {
      const dates = await this.redis.zrevrangebyscore(
        this.keys.ratesDates,
        epochDay(isoDate),
        "-inf",
        "LIMIT",
        offset,
        batch,
      );
      for (const date of dates) {
        const set = await this.get(date);
        if (set) return set;
      }
      if (dates.length < batch) return undefined;
    }
  }

  /** The latest valid official set dated strictly before `isoDate`: "the previous official rate". */
  async latestBefore(isoDate: string): Promise<OfficialRateSet | undefined> {
    return this.latestOnOrBefore(addDays(isoDate, -1));
  }

  /** Valid official sets dated from `fromDate` to `toDate` inclusive, oldest first. */
  async range(fromDate: string, toDate: string): Promise<OfficialRateSet[]> {
    const dates = await this.datesIn(fromDate, toDate);
    if (dates.length === 0) return [];
    const keys = dates.map((d) => this.keys.ratesDay(d));
    const raws = await this.redis.mget(...keys);
    const sets: OfficialRateSet[] = [];
    raws.forEach((raw, i) => {
      const key = keys[i] as string;
      if (raw === null) {
        this.logger.warn({ key }, "rates index names a date with no record; skipped");
        return;
      }
      const set = parseStoredJson(officialRateSetSchema, raw, key, this.logger);
      if (set) sets.push(set);
    });
    return sets;
  }

  /** The dates indexed from `fromDate` to `toDate` inclusive, oldest first (records not read). */
  async datesIn(fromDate: string, toDate: string): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.ratesDates, epochDay(fromDate), epochDay(toDate));
  }

  /** Remembers that NBK had no rates of this date's own (weekend, holiday). */
  async markNoOwnSet(isoDate: string, today: string): Promise<void> {
    const ttl = isoDate < today ? NO_OWN_SET_TTL_PAST_S : NO_OWN_SET_TTL_TODAY_S;
    await this.redis.set(this.keys.ratesNoOwnSet(isoDate), "1", "EX", ttl);
  }

  /** True when NBK recently answered that this date has no rates of its own. */
  async hasNoOwnSet(isoDate: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.ratesNoOwnSet(isoDate))) === 1;
  }
}
