/**
 * Memory benchmark:
 * - Redis bytes per subscriber: `used_memory` delta over N subscribers written with
 *   SubscriptionStore.subscribe (profile hash + the active index SET);
 * - Redis bytes per queued delivery: one story to 100,000 chats enqueued through DeliveryQueue
 *   with no worker, as a fan-out queues it (batches of 100 chats) and as one job per chat
 *   (broadcasts, the daily rates);
 * - the bot's RSS (the delivery engine in its own process, worker on) during the fan-out walk of
 *   one story to 10,000 and to N subscribers: it must not grow with N.
 */

import { Redis } from "ioredis";
import { DeliveryQueue } from "../src/delivery/queue.js";
import { LANGUAGES } from "../src/i18n/languages.js";
import { type RedisKeys, redisKeys } from "../src/storage/keys.js";
import {
  type BenchStage,
  benchStory,
  onCleanup,
  range,
  round,
  saveStory,
  spawnDeliveryChild,
  startStage,
  stopStage,
  subscribeMany,
  usedMemory,
  waitReady,
  waitUntil,
} from "./support.js";

export type WalkFigures = {
  subscribers: number;
  walkSeconds: number;
  rssAtStartMB: number;
  peakRssMB: number;
  heapUsedAtEndMB: number;
  /** After a full GC once the walk is done: what the process really holds. */
  rssAfterGcMB: number;
  heapAfterGcMB: number;
};

export type QueuedFigures = { count: number; bytes: number; bytesPerJob: number; seconds: number };

export type MemoryResult = {
  subscribers: { count: number; bytes: number; bytesPerSubscriber: number; seconds: number };
  queued: Record<"batched" | "single", QueuedFigures>;
  walkBatchSize: number | "default";
  walks: WalkFigures[];
};

const MB = 1048576;

async function walk(
  stage: BenchStage,
  keys: RedisKeys,
  subscribers: number,
  batch: number | undefined,
): Promise<WalkFigures> {
  const story = benchStory(`memory-${subscribers}`);
  await saveStory(stage.client, keys, story);
  const child = spawnDeliveryChild(
    stage.childEnv(keys, {
      SEND_RATE_LIMIT: "25",
      FANOUT_STORY_IDS: story.id,
      ...(batch ? { DELIVERY_BATCH: String(batch) } : {}),
    }),
    ["--expose-gc"],
  );
  const ready = await waitReady(child);
  let last = ready;
  await waitUntil(
    async () => {
      last = await child.report();
      return last.accepted[0]?.doneAt !== undefined;
    },
    180_000,
    `the fan-out walk of ${subscribers}`,
    200,
  );
  const collected = await child.report(true);
  await child.stop();
  const entry = last.accepted[0];
  const figures: WalkFigures = {
    subscribers,
    walkSeconds: round(((entry?.doneAt ?? 0) - (entry?.startedAt ?? 0)) / 1000, 2),
    rssAtStartMB: round(ready.rssBytes / MB, 1),
    peakRssMB: round(last.peakRssBytes / MB, 1),
    heapUsedAtEndMB: round(last.heapUsedBytes / MB, 1),
    rssAfterGcMB: round(collected.rssBytes / MB, 1),
    heapAfterGcMB: round(collected.heapUsedBytes / MB, 1),
  };
  console.log(
    `  walk of ${subscribers}: ${figures.walkSeconds} s, RSS at start ${figures.rssAtStartMB} MB, ` +
      `peak ${figures.peakRssMB} MB, heap at end ${figures.heapUsedAtEndMB} MB; ` +
      `after GC: RSS ${figures.rssAfterGcMB} MB, heap ${figures.heapAfterGcMB} MB`,
  );
  return figures;
}

/** `batch`: subscribers read and queued per walk step (the engine's default is 1,000). */
export async function runMemory(options: { quick: boolean; batch?: number }): Promise<MemoryResult> {
  const big = options.quick ? 30_000 : 100_000;
  const small = 10_000;
  // Zero latency, no limits: the walk's memory, not its speed (the limit benchmark has those).
  const stage = await startStage({ limits: false, latency: false });
  const { server, client } = stage;

  // --- bytes per subscriber
  const bigKeys = redisKeys("bench-big");
  const before = await usedMemory(client);
  const t = performance.now();
  await subscribeMany(client, bigKeys, range(30_000_000, big));
  const subscriberBytes = (await usedMemory(client)) - before;
  const subscribers = {
    count: big,
    bytes: subscriberBytes,
    bytesPerSubscriber: Math.round(subscriberBytes / big),
    seconds: round((performance.now() - t) / 1000, 2),
  };
  console.log(
    `  ${big} subscribers: ${round(subscriberBytes / MB)} MB → ${subscribers.bytesPerSubscriber} B each ` +
      `(written in ${subscribers.seconds} s)`,
  );

  // --- bytes per queued delivery (no worker: they stay queued), as a story fan-out queues them
  // (batches of 100 chats) and as broadcasts and the daily rates do (one job per chat)
  const queueKeys = redisKeys("bench-queue");
  const connection = new Redis(server.url, { maxRetriesPerRequest: null });
  connection.on("error", () => {});
  onCleanup(() => connection.disconnect());
  const queue = new DeliveryQueue({ connection, redis: client, keys: queueKeys });
  await queue.queue.waitUntilReady();
  const storyId = "https://kun.uz/news/2026/11/24/kazakhstan-uzbekistan-railway-darbaza-maktaaral";
  const recipients = range(40_000_000, 100_000).map((chatId, i) => ({
    chatId,
    language: LANGUAGES[i % LANGUAGES.length] as (typeof LANGUAGES)[number],
  }));
  const measureQueued = async (label: string, enqueue: () => Promise<{ submitted: number }>) => {
    const before = await usedMemory(client);
    const started = performance.now();
    const { submitted } = await enqueue();
    const bytes = (await usedMemory(client)) - before;
    const figures = {
      count: submitted,
      bytes,
      bytesPerJob: Math.round(bytes / Math.max(1, submitted)),
      seconds: round((performance.now() - started) / 1000, 2),
    };
    console.log(
      `  ${figures.count} queued deliveries, ${label}: ${round(bytes / MB)} MB → ${figures.bytesPerJob} B each ` +
        `(enqueued in ${figures.seconds} s, ${Math.round(figures.count / figures.seconds)}/s)`,
    );
    await queue.queue.obliterate({ force: true });
    return figures;
  };
  const queued = {
    batched: await measureQueued("story batches", () => queue.enqueueStories(storyId, recipients)),
    single: await measureQueued("one job per chat", () =>
      queue.enqueue(recipients.map((r) => ({ kind: "story", storyId, ...r }))),
    ),
  };
  await queue.close();
  connection.disconnect();

  // --- the bot's RSS during a walk, small then big
  const smallKeys = redisKeys("bench-small");
  await subscribeMany(client, smallKeys, range(50_000_000, small));
  const walks = [
    await walk(stage, smallKeys, small, options.batch),
    await walk(stage, bigKeys, big, options.batch),
  ];

  await stopStage(stage);
  return { subscribers, queued, walkBatchSize: options.batch ?? "default", walks };
}
