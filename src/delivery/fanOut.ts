/**
 * Fan-out: turns one accepted story into queued deliveries to every subscriber whose topics
 * match, as story batch jobs of up to 100 chats each.
 *
 * Resumable and idempotent. A story's fan-out is recorded as unfinished (`deliveryFanOuts`)
 * before the walk starts and marked done (`deliveryFanOutDone`) only after the last batch is
 * queued. A process that dies mid-walk leaves the record behind; the next start (or the periodic
 * sweep of any process) walks again from the start, and the queue's ledger and job ids make the
 * second walk add only what the first did not. One process walks a story at a time (a lock).
 *
 * Story languages: each subscriber gets the story in a language they read, preferring their
 * interface language (`chooseVersion`). A story in a language they do not read reaches them when
 * an outlet of their language tells it too and it is merged (`acceptVersion`): that walk goes
 * only to readers of none of the languages it was already told in, so nobody gets it twice.
 *
 * Quiet hours: a chat in them gets the story held until they end (`hold`), or at once without a
 * notification sound (`silent`, its own batches flagged so the worker sends disable_notification).
 */
import type { Logger } from "../logger.js";
import type { StorySink } from "../news/pollCycle.js";
import type { AlsoReported, StoryStore } from "../news/storyStore.js";
import type { Story } from "../news/types.js";
import type { RedisKeys } from "../storage/keys.js";
import { withLock } from "../storage/lock.js";
import type { Redis } from "../storage/redis.js";
import {
  maskToTopics,
  type Recipient,
  type SubscriptionStore,
  topicsToMask,
  wantsStory,
} from "../storage/subscriptions.js";
import { localParts } from "../subscriber/briefing.js";
import { KeywordMatcher } from "../subscriber/keywords.js";
import { isQuietHour, quietModeOf } from "../subscriber/quietHours.js";
import {
  chooseVersion,
  maskToStoryLanguages,
  type StoryVersion,
  storyLanguagesToMask,
  storyVersions,
} from "../subscriber/storyLanguages.js";
import { DELIVERY_DEFAULTS } from "./options.js";
import { type DeliveryQueue, refToken, STORY_BATCH_MAX, storyRef } from "./queue.js";
import { keywordDeliveryId, parseVersionDeliveryId, versionDeliveryId } from "./storyVersions.js";

export type FanOutDeps = {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  subscriptions: SubscriptionStore;
  queue: DeliveryQueue;
  /** TIMEZONE: the zone of quiet hours. Without it no story is held. */
  timeZone?: string;
  /** Read when a walk resumes or a telling is merged; without it every walk ignores story languages. */
  stories?: Pick<StoryStore, "getStory">;
  /** Subscribers read and queued per step. @defaultValue DELIVERY_DEFAULTS.fanOutBatchSize */
  batchSize?: number;
  /** Chats per queued story job (at most STORY_BATCH_MAX). @defaultValue DELIVERY_DEFAULTS.fanOutJobSize */
  jobSize?: number;
  /** The walk's lock expiry: how soon another process takes over a crashed walk. @defaultValue DELIVERY_DEFAULTS.fanOutLockTtlMs */
  lockTtlMs?: number;
  /** How long "this story was fanned out" is remembered. @defaultValue DELIVERY_DEFAULTS.fanOutDoneTtlMs */
  doneTtlMs?: number;
};

/** The delivery engine's StorySink, plus the resumption of walks a crash interrupted. */
export type DeliverySink = StorySink & {
  /** Finishes every unfinished fan-out not being walked by another process. Returns how many. */
  resumeUnfinished(): Promise<number>;
  /** Stops walks between batches (they stay unfinished, to be resumed) and waits for them. */
  stop(): Promise<void>;
};

export type FanOutResult = "done" | "already-done" | "busy" | "interrupted";

/** Longer than any quiet span plus the catch-up after it. */
const HELD_TTL_MS = 2 * 86_400_000;

/**
 * Splits recipients by their quiet hours now: `held` until they end, sent now but `silent`, or
 * sent now with sound (`loud`: no quiet hours, outside them, or no zone to tell the hour).
 */
function byQuietHours(
  recipients: readonly Recipient[],
  hourOf: (r: Recipient) => number | undefined,
): { held: Recipient[]; silent: Recipient[]; loud: Recipient[] } {
  const split = { held: [] as Recipient[], silent: [] as Recipient[], loud: [] as Recipient[] };
  for (const r of recipients) {
    const hour = r.quietHours ? hourOf(r) : undefined;
    if (!r.quietHours || hour === undefined || !isQuietHour(hour, r.quietHours)) split.loud.push(r);
    else if (quietModeOf(r.quietHours) === "silent") split.silent.push(r);
    else split.held.push(r);
  }
  return split;
}

type Told = { story: Story; versions: StoryVersion[]; keywords: KeywordMatcher };

/** Builds the sink the poll cycle hands every new story to. */
export function createStorySink(deps: FanOutDeps): DeliverySink {
  const { redis, keys, logger } = deps;
  const batchSize = deps.batchSize ?? DELIVERY_DEFAULTS.fanOutBatchSize;
  const jobSize = Math.min(deps.jobSize ?? DELIVERY_DEFAULTS.fanOutJobSize, STORY_BATCH_MAX);
  const lockTtlMs = deps.lockTtlMs ?? DELIVERY_DEFAULTS.fanOutLockTtlMs;
  const doneTtlMs = deps.doneTtlMs ?? DELIVERY_DEFAULTS.fanOutDoneTtlMs;
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => {});
    return work;
  };

  /**
   * The tellings a walk offers and the keyword matcher over their texts, or undefined to offer the
   * story itself to every reader of its topics (a story no longer stored, or no story store).
   */
  async function versionsOf(storyId: string, known?: Story): Promise<Told | undefined> {
    const story = known ?? (await deps.stories?.getStory(storyId));
    if (!story) return undefined;
    const versions = storyVersions(story);
    const keywords = new KeywordMatcher(versions.flatMap((v) => [v.title, v.summary]));
    return { story, versions, keywords };
  }

  /**
   * Groups a batch by the delivery id each recipient gets: the telling in a language they read,
   * marked with their own keyword when one matches. A keyword brings the story even outside the
   * recipient's topics.
   */
  function audienceOf(
    batch: readonly Recipient[],
    storyId: string,
    topics: ReturnType<typeof maskToTopics>,
    told: Told | undefined,
    excluded: number,
  ): Map<string, Recipient[]> {
    const groups = new Map<string, Recipient[]>();
    for (const r of batch) {
      // Briefing and weekly readers get their stories in the briefing (subscriber/briefingJob.ts).
      if (r.deliveryMode !== "instant" || (r.storyLanguageMask & excluded) !== 0) continue;
      const keyword = told && r.keywords.length > 0 ? told.keywords.firstMatch(r.keywords) : undefined;
      if (!keyword && !wantsStory(r.topicMask, topics)) continue;
      let id = storyId;
      if (told) {
        const version = chooseVersion(told.versions, r.storyLanguageMask, r.language);
        if (!version) continue;
        id = versionDeliveryId(told.story, version.language);
      }
      if (keyword) id = keywordDeliveryId(id, keyword);
      const group = groups.get(id);
      if (group) group.push(r);
      else groups.set(id, [r]);
    }
    return groups;
  }

  /**
   * Walks every subscriber for one story (`walkId`: the story's id, or a telling's). `excluded`
   * is a mask of languages whose readers already had a telling: they are left out.
   */
  async function fanOut(
    walkId: string,
    topicMask: number,
    excluded: number,
    known?: Story,
  ): Promise<FanOutResult> {
    const token = refToken(storyRef(walkId));
    const doneKey = keys.deliveryFanOutDone(token);
    const topics = maskToTopics(topicMask);
    const storyId = known?.id ?? parseVersionDeliveryId(walkId).storyId;
    const result = await withLock(
      redis,
      keys.lock(`fanout:${token}`),
      lockTtlMs,
      async (lost): Promise<FanOutResult> => {
        // Checked under the lock: the holder before us may have finished while we waited.
        if ((await redis.exists(doneKey)) === 1) {
          await redis.hdel(keys.deliveryFanOuts, walkId);
          return "already-done";
        }
        const told = await versionsOf(storyId, known);
        // Readers who already got an earlier telling, by the ledger, whatever they read now.
        const earlierRefs =
          told && excluded !== 0
            ? [
                storyRef(told.story.id),
                ...maskToStoryLanguages(excluded).map((l) => storyRef(versionDeliveryId(told.story, l))),
              ]
            : [];
        let queued = 0;
        let matched = 0;
        for await (const batch of deps.subscriptions.activeRecipients(batchSize)) {
          if (lost.aborted || stopping) return "interrupted";
          const hours = new Map<string, number>();
          /** The local hour of a chat's zone (its own, or TIMEZONE), worked out once per zone and batch. */
          const hourOf = (r: Recipient): number | undefined => {
            const zone = r.timeZone ?? deps.timeZone;
            if (!zone) return undefined;
            let hour = hours.get(zone);
            if (hour === undefined) {
              hour = localParts(new Date(), zone).hour;
              hours.set(zone, hour);
            }
            return hour;
          };
          for (const [deliveryId, group] of audienceOf(batch, storyId, topics, told, excluded)) {
            const recipients = await notSentAny(group, earlierRefs);
            matched += recipients.length;
            const { held, silent, loud } = byQuietHours(recipients, hourOf);
            if (held.length > 0) await hold(deliveryId, held);
            queued += (await deps.queue.enqueueStories(deliveryId, loud, jobSize)).submitted;
            if (silent.length > 0)
              queued += (await deps.queue.enqueueStories(deliveryId, silent, jobSize, { silent: true }))
                .submitted;
          }
        }
        if (lost.aborted) return "interrupted";
        await redis.multi().set(doneKey, "1", "PX", doneTtlMs).hdel(keys.deliveryFanOuts, walkId).exec();
        logger.info({ storyId: walkId, matched, queued }, "story fanned out");
        return "done";
      },
      logger,
    );
    return result.acquired ? result.value : "busy";
  }

  /** Keeps the story for chats in their quiet hours: it arrives when they end (subscriber/briefingJob.ts). */
  async function hold(deliveryId: string, recipients: readonly Recipient[]): Promise<void> {
    const tx = redis.multi();
    for (const r of recipients) {
      tx.rpush(keys.heldStories(r.chatId), deliveryId).pexpire(keys.heldStories(r.chatId), HELD_TTL_MS);
    }
    await tx.exec();
  }

  async function notSentAny(group: Recipient[], refs: readonly string[]): Promise<Recipient[]> {
    let left = group;
    for (const ref of refs) {
      if (left.length === 0) break;
      const sent = await deps.queue.wasSent(left.map((r) => ({ ref, chatId: r.chatId })));
      left = left.filter((_, i) => !sent[i]);
    }
    return left;
  }

  /** Recorded before the walk: if we die during it, this is what the next start resumes. */
  async function walk(walkId: string, topicMask: number, excluded: number, known?: Story): Promise<void> {
    if ((await redis.exists(keys.deliveryFanOutDone(refToken(storyRef(walkId))))) === 1) return;
    await redis.hset(
      keys.deliveryFanOuts,
      walkId,
      excluded === 0 ? `${topicMask}` : `${topicMask}:${excluded}`,
    );
    // "busy": another process is walking it; if that one dies, the sweep finishes the walk.
    await track(fanOut(walkId, topicMask, excluded, known));
  }

  return {
    async accept(story: Story): Promise<void> {
      await walk(story.id, topicsToMask(story.topics), 0, story);
    },

    async acceptVersion(storyId: string, report: AlsoReported): Promise<void> {
      const story = await deps.stories?.getStory(storyId);
      if (!story || !report.language) return;
      const versions = storyVersions(story);
      const index = versions.findIndex((v) => v.link === report.link);
      const earlier = versions.slice(0, index === -1 ? versions.length : index);
      // Readers of a language it was already told in have it; only a new language reaches anyone new.
      if (earlier.some((v) => v.language === report.language)) return;
      const excluded = storyLanguagesToMask(earlier.map((v) => v.language));
      await walk(versionDeliveryId(story, report.language), topicsToMask(story.topics), excluded, story);
    },

    async resumeUnfinished(): Promise<number> {
      if (stopping) return 0;
      const pending = await redis.hgetall(keys.deliveryFanOuts);
      let resumed = 0;
      for (const [walkId, raw] of Object.entries(pending)) {
        if (stopping) break;
        // "<topic mask>" or "<topic mask>:<excluded languages mask>" (a telling's walk).
        const [mask, excluded = 0] = raw.split(":").map(Number);
        if (!Number.isInteger(mask) || (mask as number) < 0 || !Number.isInteger(excluded)) {
          logger.warn({ storyId: walkId }, "unreadable unfinished fan-out; dropped");
          await redis.hdel(keys.deliveryFanOuts, walkId);
          continue;
        }
        const outcome = await track(fanOut(walkId, mask as number, excluded));
        if (outcome === "done") {
          resumed++;
          logger.info({ storyId: walkId }, "resumed an interrupted fan-out");
        }
      }
      return resumed;
    },

    async stop(): Promise<void> {
      stopping = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}
