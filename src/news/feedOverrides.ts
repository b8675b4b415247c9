/**
 * Feed changes admins make at run time (/feeds pause, resume, add, remove), kept in Redis
 * (`keys.feedOverrides`, one hash field per feed id) on top of FEEDS_FILE. The poll cycle asks
 * for the effective list at every cycle, so a change applies from the next poll, in every
 * process, and survives restarts. A deploy with a new feed file keeps the admins' changes.
 */
import { z } from "zod";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import { parseStoredJson } from "../storage/records.js";
import type { Redis } from "../storage/redis.js";
import { feedEntrySchema } from "./feedList.js";
import type { FeedConfig } from "./types.js";

/** One feed's override: a file feed paused or removed, or a feed added (maybe paused). */
export const feedOverrideSchema = z.discriminatedUnion("state", [
  z.object({ state: z.literal("paused") }),
  z.object({ state: z.literal("removed") }),
  z.object({ state: z.literal("added"), feed: feedEntrySchema, paused: z.boolean().default(false) }),
]);

export type FeedOverride = z.infer<typeof feedOverrideSchema>;

/** A feed as /feeds lists it. */
export type FeedRow = { feed: FeedConfig; source: "file" | "added"; paused: boolean };

/**
 * The feed list after overrides: file feeds (minus removed, marked when paused) then added ones.
 * An added feed whose id the file now uses too is ignored (the file wins). Pure.
 */
export function applyFeedOverrides(
  fileFeeds: readonly FeedConfig[],
  overrides: ReadonlyMap<string, FeedOverride>,
): FeedRow[] {
  const rows: FeedRow[] = [];
  const fileIds = new Set(fileFeeds.map((f) => f.id));
  for (const feed of fileFeeds) {
    const o = overrides.get(feed.id);
    if (o?.state === "removed") continue;
    rows.push({ feed, source: "file", paused: o?.state === "paused" });
  }
  for (const [id, o] of overrides) {
    if (o.state !== "added" || fileIds.has(id)) continue;
    const { enabled: _enabled, ...feed } = o.feed;
    rows.push({ feed, source: "added", paused: o.paused || !o.feed.enabled });
  }
  return rows;
}

/** The feeds to poll: every listed feed that is not paused. Pure. */
export function effectiveFeeds(rows: readonly FeedRow[]): FeedConfig[] {
  return rows.filter((r) => !r.paused).map((r) => r.feed);
}

export type FeedChangeResult = "ok" | "unknown-feed" | "already" | "exists";

/** The overrides in Redis, and the changes admins make to them. */
export class FeedOverrideStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
    private readonly fileFeeds: readonly FeedConfig[],
  ) {}

  /** Every valid override; an unreadable one is logged and ignored (the file's feed stands). */
  async load(): Promise<Map<string, FeedOverride>> {
    const raw = await this.redis.hgetall(this.keys.feedOverrides);
    const out = new Map<string, FeedOverride>();
    for (const [id, value] of Object.entries(raw)) {
      const parsed = parseStoredJson(
        feedOverrideSchema,
        value,
        `${this.keys.feedOverrides}#${id}`,
        this.logger,
      );
      if (parsed) out.set(id, parsed);
    }
    return out;
  }

  /** The listed feeds with their state. */
  async rows(): Promise<FeedRow[]> {
    return applyFeedOverrides(this.fileFeeds, await this.load());
  }

  /** The feeds the next poll cycle fetches. */
  async effective(): Promise<FeedConfig[]> {
    return effectiveFeeds(await this.rows());
  }

  async pause(id: string): Promise<FeedChangeResult> {
    const row = (await this.rows()).find((r) => r.feed.id === id);
    if (!row) return "unknown-feed";
    if (row.paused) return "already";
    await this.write(id, row.source === "file" ? { state: "paused" } : await this.added(id, true));
    return "ok";
  }

  async resume(id: string): Promise<FeedChangeResult> {
    const row = (await this.rows()).find((r) => r.feed.id === id);
    if (!row) return "unknown-feed";
    if (!row.paused) return "already";
    if (row.source === "file") await this.redis.hdel(this.keys.feedOverrides, id);
    else await this.write(id, await this.added(id, false));
    return "ok";
  }

  /** Adds a feed (validated by the caller with `feedEntrySchema`); its id must be new. */
  async add(feed: z.output<typeof feedEntrySchema>): Promise<FeedChangeResult> {
    if ((await this.rows()).some((r) => r.feed.id === feed.id)) return "exists";
    await this.write(feed.id, { state: "added", feed, paused: false });
    return "ok";
  }

  /** Removes a feed: an added one is forgotten, a file one stays out of the list until added again. */
  async remove(id: string): Promise<FeedChangeResult> {
    const row = (await this.rows()).find((r) => r.feed.id === id);
    if (!row) return "unknown-feed";
    if (row.source === "added") await this.redis.hdel(this.keys.feedOverrides, id);
    else await this.write(id, { state: "removed" });
    return "ok";
  }

  private async added(id: string, paused: boolean): Promise<FeedOverride> {
    const current = (await this.load()).get(id);
    if (current?.state !== "added") throw new Error(`feed ${id} is not an added feed`);
    return { ...current, paused };
  }

  private async write(id: string, override: FeedOverride): Promise<void> {
    await this.redis.hset(this.keys.feedOverrides, id, JSON.stringify(override));
  }
}
