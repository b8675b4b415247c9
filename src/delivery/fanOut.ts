/**
 * Fan-out: turns one accepted story into queued deliveries to every subscriber whose topics
 * match, as story batch jobs of up to 100 chats each.
 *
 * Resumable and idempotent. A story's fan-out is recorded as unfinished (`deliveryFanOuts`)
 * before the walk starts and marked done (`deliveryFanOutDone`) only after the last batch is
 * queued. A process that dies mid-walk leaves the record behind; the next start (or the periodic
 * sweep of any process) walks again from the start, and the queue's ledger and job ids make the
 * second walk add only what the first did not. One process walks a story at a time (a lock).
 */
import type { Logger } from "../logger.js";
import type { StorySink } from "../news/pollCycle.js";
import type { Story } from "../news/types.js";
import type { RedisKeys } from "../storage/keys.js";
import { withLock } from "../storage/lock.js";
import type { Redis } from "../storage/redis.js";
import { maskToTopics, type SubscriptionStore, topicsToMask, wantsStory } from "../storage/subscriptions.js";
import { DELIVERY_DEFAULTS } from "./options.js";
import { type DeliveryQueue, refToken, STORY_BATCH_MAX, storyRef } from "./queue.js";

export type FanOutDeps = {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  subscriptions: SubscriptionStore;
  queue: DeliveryQueue;
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

  async function fanOut(storyId: string, topicMask: number): Promise<FanOutResult> {
    const token = refToken(storyRef(storyId));
    const doneKey = keys.deliveryFanOutDone(token);
    const topics = maskToTopics(topicMask);
    const result = await withLock(
      redis,
      keys.lock(`fanout:${token}`),
      lockTtlMs,
      async (lost): Promise<FanOutResult> => {
        // Checked under the lock: the holder before us may have finished while we waited.
        if ((await redis.exists(doneKey)) === 1) {
          await redis.hdel(keys.deliveryFanOuts, storyId);
          return "already-done";
        }
        let queued = 0;
        let matched = 0;
        for await (const batch of deps.subscriptions.activeRecipients(batchSize)) {
          if (lost.aborted || stopping) return "interrupted";
          const recipients = batch.filter((r) => wantsStory(r.topicMask, topics));
          matched += recipients.length;
          queued += (await deps.queue.enqueueStories(storyId, recipients, jobSize)).submitted;
        }
        if (lost.aborted) return "interrupted";
        await redis.multi().set(doneKey, "1", "PX", doneTtlMs).hdel(keys.deliveryFanOuts, storyId).exec();
        logger.info({ storyId, matched, queued }, "story fanned out");
        return "done";
      },
      logger,
    );
    return result.acquired ? result.value : "busy";
  }

  return {
    async accept(story: Story): Promise<void> {
      const token = refToken(storyRef(story.id));
      if ((await redis.exists(keys.deliveryFanOutDone(token))) === 1) return;
      const mask = topicsToMask(story.topics);
      // Recorded before the walk: if we die during it, this is what the next start resumes.
      await redis.hset(keys.deliveryFanOuts, story.id, mask);
      // "busy": another process is walking it; if that one dies, the sweep finishes the walk.
      await track(fanOut(story.id, mask));
    },

    async resumeUnfinished(): Promise<number> {
      if (stopping) return 0;
      const pending = await redis.hgetall(keys.deliveryFanOuts);
      let resumed = 0;
      for (const [storyId, rawMask] of Object.entries(pending)) {
        if (stopping) break;
        const mask = Number(rawMask);
        if (!Number.isInteger(mask) || mask < 0) {
          logger.warn({ storyId }, "unreadable unfinished fan-out; dropped");
          await redis.hdel(keys.deliveryFanOuts, storyId);
          continue;
        }
        const outcome = await track(fanOut(storyId, mask));
        if (outcome === "done") {
          resumed++;
          logger.info({ storyId }, "resumed an interrupted fan-out");
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
