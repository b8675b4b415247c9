/**
 * The accepted stories: which item ids were already seen, the stories themselves, the outlets that
 * told each one again, and the fingerprints of recent stories for cross-outlet dedupe. Redis for the
 * bot; the same interface in memory for `preview`.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import { parseStoredJson } from "../storage/records.js";
import type { Redis } from "../storage/redis.js";
import { fingerprintStory, type StoryFingerprint, storyFingerprintSchema } from "./dedupe.js";
import { isTopicId, type TopicId } from "./topicIds.js";
import { FEED_LANGUAGES, type Story } from "./types.js";

export type AlsoReported = Story["alsoReportedBy"][number];

export type StoryStoreOptions = {
  /** How long an item id counts as seen: longer than any item stays in a feed. */
  seenTtlMs: number;
  /** How long stories are kept (for /latest and for "also reported by"). */
  storyTtlMs: number;
  /** At most this many stories in the timeline, whatever their age. */
  maxStories: number;
  /** How long fingerprints are kept: longer than the dedupe window. */
  fingerprintTtlMs: number;
};

const DAY_MS = 86_400_000;

export const DEFAULT_STORY_STORE_OPTIONS: StoryStoreOptions = {
  seenTtlMs: 30 * DAY_MS,
  storyTtlMs: 30 * DAY_MS,
  maxStories: 5000,
  fingerprintTtlMs: 7 * DAY_MS,
};

/** Where stories live. Every method is safe to call from several processes at once. */
export interface StoryStore {
  /**
   * Claims item ids: returns those never seen before (within the seen TTL) and marks them all as
   * seen. Atomic per id: of two processes claiming one id, exactly one gets it back as new.
   */
  markSeen(itemIds: readonly string[], now: Date): Promise<Set<string>>;
  /**
   * Gives back claims of `markSeen` for items that could not be judged (a fault of ours, such as
   * Redis going away mid-cycle), so the next cycle tries them again.
   */
  unmarkSeen(itemIds: readonly string[]): Promise<void>;
  /** Stores an accepted story, puts it on the timeline and records its fingerprint. */
  saveStory(story: Story, fingerprint?: StoryFingerprint): Promise<void>;
  /**
   * Adds an outlet that told the story too. Idempotent per link. Returns false when the story is
   * gone (expired or never stored).
   */
  addAlsoReported(storyId: string, report: AlsoReported): Promise<boolean>;
  /** A story with every "also reported by" added so far; undefined when absent or corrupt. */
  getStory(id: string): Promise<Story | undefined>;
  /** Newest accepted first; with `topics`, only stories sharing at least one of them. */
  latestStories(options: { limit: number; topics?: readonly TopicId[] }): Promise<Story[]>;
  /** Fingerprints of stories published since `since` (corrupt ones skipped). */
  recentFingerprints(since: Date): Promise<StoryFingerprint[]>;
  /** Drops stories and fingerprints past their keep time, and caps the timeline. */
  trim(now: Date): Promise<void>;
}

const alsoReportedSchema = z.object({
  outlet: z.string(),
  link: z.string(),
  // Optional: reports stored before story languages have only outlet and link.
  language: z.enum(FEED_LANGUAGES).optional(),
  title: z.string().optional(),
  summary: z.string().optional(),
});

/** A stored story; unknown topics (a renamed id) are dropped rather than failing the record. */
const storySchema = z.object({
  id: z.string().min(1),
  feedId: z.string(),
  outlet: z.string(),
  language: z.enum(FEED_LANGUAGES),
  title: z.string(),
  summary: z.string(),
  link: z.string(),
  published: z.string(),
  publishedEstimated: z.boolean(),
  categories: z.array(z.string()),
  imageUrl: z.string().optional(),
  topics: z.array(z.string()).transform((ts) => ts.filter(isTopicId)),
  alsoReportedBy: z.array(alsoReportedSchema),
  acceptedAt: z.string(),
});

function mergeAlsoReported(story: Story, extra: readonly AlsoReported[]): Story {
  if (extra.length === 0) return story;
  const links = new Set([story.link, ...story.alsoReportedBy.map((r) => r.link)]);
  const merged = [...story.alsoReportedBy];
  for (const report of extra) {
    if (links.has(report.link)) continue;
    links.add(report.link);
    merged.push(report);
  }
  return { ...story, alsoReportedBy: merged };
}

function timeOf(iso: string, fallback: number): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : fallback;
}

/**
 * Item ids are guids or URLs of any length and alphabet; long ones are hashed so keys stay short.
 * Short ones stay readable for whoever inspects Redis.
 */
function seenKeyPart(itemId: string): string {
  return itemId.length <= 120 ? itemId : `sha1:${createHash("sha1").update(itemId).digest("hex")}`;
}

/** The story store in Redis (keys `seenItem`, `story`, `storyAlsoReported`, `storyTimeline`, `storyFingerprints`). */
export class RedisStoryStore implements StoryStore {
  private readonly options: StoryStoreOptions;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
    options: Partial<StoryStoreOptions> = {},
  ) {
    this.options = { ...DEFAULT_STORY_STORE_OPTIONS, ...options };
  }

  async markSeen(itemIds: readonly string[], now: Date): Promise<Set<string>> {
    const unique = [...new Set(itemIds)];
    if (unique.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    const value = now.toISOString();
    for (const id of unique) {
      pipeline.set(this.keys.seenItem(seenKeyPart(id)), value, "PX", this.options.seenTtlMs, "NX");
    }
    const replies = (await pipeline.exec()) ?? [];
    const fresh = new Set<string>();
    unique.forEach((id, i) => {
      const [err, reply] = replies[i] ?? [null, null];
      if (err) throw err;
      if (reply === "OK") fresh.add(id);
    });
    return fresh;
  }

  async unmarkSeen(itemIds: readonly string[]): Promise<void> {
    if (itemIds.length === 0) return;
    await this.redis.unlink(...itemIds.map((id) => this.keys.seenItem(seenKeyPart(id))));
  }

  async saveStory(story: Story, fingerprint: StoryFingerprint = fingerprintStory(story)): Promise<void> {
    const acceptedMs = timeOf(story.acceptedAt, Date.now());
    await this.redis
      .multi()
      .set(this.keys.story(story.id), JSON.stringify(story), "PX", this.options.storyTtlMs)
      .zadd(this.keys.storyTimeline, acceptedMs, story.id)
      .zadd(this.keys.storyFingerprints, timeOf(story.published, acceptedMs), JSON.stringify(fingerprint))
      .exec();
  }

  async addAlsoReported(storyId: string, report: AlsoReported): Promise<boolean> {
    const storyKey = this.keys.story(storyId);
    const listKey = this.keys.storyAlsoReported(storyId);
    const [existsReply, ttlReply] = (await this.redis.multi().exists(storyKey).pttl(storyKey).exec()) ?? [];
    if (existsReply?.[1] !== 1) return false;
    const ttl = Number(ttlReply?.[1]);
    // Duplicate links are filtered when read, so a retried RPUSH does no harm.
    await this.redis
      .multi()
      .rpush(listKey, JSON.stringify(report))
      .pexpire(listKey, ttl > 0 ? ttl : this.options.storyTtlMs)
      .exec();
    return true;
  }

  async getStory(id: string): Promise<Story | undefined> {
    const [story] = await this.readStories([id]);
    return story;
  }

  async latestStories(options: { limit: number; topics?: readonly TopicId[] }): Promise<Story[]> {
    const wanted = options.topics && options.topics.length > 0 ? new Set(options.topics) : undefined;
    const out: Story[] = [];
    // Page through the timeline: with a topic filter, most of a page may be filtered out.
    const pageSize = Math.max(options.limit * (wanted ? 4 : 1), 20);
    const maxScanned = Math.max(options.limit * 50, 1000);
    for (let start = 0; out.length < options.limit && start < maxScanned; start += pageSize) {
      const ids = await this.redis.zrevrange(this.keys.storyTimeline, start, start + pageSize - 1);
      if (ids.length === 0) break;
      for (const story of await this.readStories(ids)) {
        if (wanted && !story.topics.some((t) => wanted.has(t))) continue;
        out.push(story);
        if (out.length >= options.limit) break;
      }
      if (ids.length < pageSize) break;
    }
    return out;
  }

  async recentFingerprints(since: Date): Promise<StoryFingerprint[]> {
    const members = await this.redis.zrangebyscore(this.keys.storyFingerprints, since.getTime(), "+inf");
    const out: StoryFingerprint[] = [];
    for (const member of members) {
      const fp = parseStoredJson(storyFingerprintSchema, member, this.keys.storyFingerprints, this.logger);
      if (fp) out.push(fp);
    }
    return out;
  }

  async trim(now: Date): Promise<void> {
    const t = now.getTime();
    await this.redis
      .multi()
      .zremrangebyscore(this.keys.storyTimeline, "-inf", t - this.options.storyTtlMs)
      .zremrangebyrank(this.keys.storyTimeline, 0, -this.options.maxStories - 1)
      .zremrangebyscore(this.keys.storyFingerprints, "-inf", t - this.options.fingerprintTtlMs)
      .exec();
  }

  /** Stories by id, in order, skipping absent and corrupt ones; two round trips for any number. */
  private async readStories(ids: readonly string[]): Promise<Story[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    pipeline.mget(...ids.map((id) => this.keys.story(id)));
    for (const id of ids) pipeline.lrange(this.keys.storyAlsoReported(id), 0, 99);
    const replies = (await pipeline.exec()) ?? [];
    const [mgetErr, raws] = replies[0] ?? [null, []];
    if (mgetErr) throw mgetErr;
    const out: Story[] = [];
    ids.forEach((id, i) => {
      const key = this.keys.story(id);
      const story = parseStoredJson(storySchema, (raws as Array<string | null>)[i] ?? null, key, this.logger);
      if (!story) return;
      const extraRaw = (replies[i + 1]?.[1] as string[] | undefined) ?? [];
      const extra = extraRaw.flatMap((raw) => {
        const report = parseStoredJson(alsoReportedSchema, raw, this.keys.storyAlsoReported(id), this.logger);
        return report ? [report] : [];
      });
      out.push(mergeAlsoReported(story as Story, extra));
    });
    return out;
  }
}

/** The same store in memory, for `preview` and tests. TTLs are applied on `trim` and reads. */
export class MemoryStoryStore implements StoryStore {
  private readonly seen = new Map<string, number>();
  private readonly stories = new Map<string, Story>();
  private readonly fingerprints: Array<{ at: number; fp: StoryFingerprint }> = [];
  private readonly options: StoryStoreOptions;

  constructor(options: Partial<StoryStoreOptions> = {}) {
    this.options = { ...DEFAULT_STORY_STORE_OPTIONS, ...options };
  }

  async markSeen(itemIds: readonly string[], now: Date): Promise<Set<string>> {
    const t = now.getTime();
    const fresh = new Set<string>();
    for (const id of itemIds) {
      const until = this.seen.get(id);
      if (until !== undefined && until > t) continue;
      this.seen.set(id, t + this.options.seenTtlMs);
      fresh.add(id);
    }
    return fresh;
  }

  async unmarkSeen(itemIds: readonly string[]): Promise<void> {
    for (const id of itemIds) this.seen.delete(id);
  }

  async saveStory(story: Story, fingerprint: StoryFingerprint = fingerprintStory(story)): Promise<void> {
    this.stories.set(story.id, structuredClone(story));
    const acceptedMs = timeOf(story.acceptedAt, Date.now());
    this.fingerprints.push({ at: timeOf(story.published, acceptedMs), fp: fingerprint });
  }

  async addAlsoReported(storyId: string, report: AlsoReported): Promise<boolean> {
    const story = this.stories.get(storyId);
    if (!story) return false;
    this.stories.set(storyId, mergeAlsoReported(story, [report]));
    return true;
  }

  async getStory(id: string): Promise<Story | undefined> {
    const story = this.stories.get(id);
    return story ? structuredClone(story) : undefined;
  }

  async latestStories(options: { limit: number; topics?: readonly TopicId[] }): Promise<Story[]> {
    const wanted = options.topics && options.topics.length > 0 ? new Set(options.topics) : undefined;
    return [...this.stories.values()]
      .filter((s) => !wanted || s.topics.some((t) => wanted.has(t)))
      .sort((a, b) => timeOf(b.acceptedAt, 0) - timeOf(a.acceptedAt, 0))
      .slice(0, options.limit)
      .map((s) => structuredClone(s));
  }

  async recentFingerprints(since: Date): Promise<StoryFingerprint[]> {
    return this.fingerprints.filter((f) => f.at >= since.getTime()).map((f) => f.fp);
  }

  async trim(now: Date): Promise<void> {
    const t = now.getTime();
    for (const [id, story] of this.stories) {
      if (timeOf(story.acceptedAt, t) < t - this.options.storyTtlMs) this.stories.delete(id);
    }
    const keep = this.fingerprints.filter((f) => f.at >= t - this.options.fingerprintTtlMs);
    this.fingerprints.splice(0, this.fingerprints.length, ...keep);
  }
}
