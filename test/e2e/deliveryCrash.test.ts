import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { RedisStoryStore } from "../../src/news/storyStore.js";
import type { Story } from "../../src/news/types.js";
import { type RedisKeys, redisKeys } from "../../src/storage/keys.js";
import { SubscriptionStore } from "../../src/storage/subscriptions.js";
import { type BotProcess, spawnBot, TEST_TOKEN } from "../support/botProcess.js";
import { type TestRedis, useTestRedis } from "../support/redis.js";
import { TelegramEmulator } from "../support/telegramEmulator.js";
import { maxInWindow } from "../support/timing.js";

/**
 * The delivery engine as separate processes (test/support/deliveryProcess.ts) on one Redis:
 * killed with SIGKILL mid fan-out and restarted, and two at once under Telegram's limits.
 */

const ENTRY = "test/support/deliveryProcess.ts";
const logger = createLogger({ level: "silent" });

let redis: TestRedis;
let telegram: TelegramEmulator;
let processes: BotProcess[] = [];

beforeAll(async () => {
  redis = await useTestRedis();
  // As slow as Telegram; its limits only where pacing is tested (the crash runs at 250 a second).
  telegram = await TelegramEmulator.start(TEST_TOKEN, { limits: false });
  telegram.recordMessages = false;
});
afterEach(async () => {
  await Promise.allSettled(processes.map((p) => p.stop()));
  processes = [];
});
afterAll(async () => {
  await telegram?.stop();
  await redis?.close();
});

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const total = (ids: number[]) => ids.reduce((sum, id) => sum + telegram.countTo(id), 0);

function story(id: string): Story {
  return {
    id,
    feedId: "kun",
    outlet: "Kun.uz",
    language: "uz-Latn",
    title: `Crash-safe story ${id}`,
    summary: "Tashkent and Astana agreed on a new rail link.",
    link: `https://kun.uz/news/${id}`,
    published: new Date().toISOString(),
    publishedEstimated: false,
    categories: [],
    topics: ["transport"],
    alsoReportedBy: [],
    acceptedAt: new Date().toISOString(),
  };
}

async function prepare(namespace: string, ids: number[], stories: Story[]): Promise<RedisKeys> {
  const keys = redisKeys(`${redis.prefix}.${namespace}`);
  const subscriptions = new SubscriptionStore(redis.client, keys, logger);
  const store = new RedisStoryStore(redis.client, keys, logger);
  for (let i = 0; i < ids.length; i += 500) {
    await Promise.all(
      ids.slice(i, i + 500).map((chatId) =>
        subscriptions.subscribe(chatId, {
          kind: "private",
          language: "uz",
          topics: ["transport"],
          rates: false,
        }),
      ),
    );
  }
  for (const s of stories) await store.saveStory(s);
  return keys;
}

function start(keys: RedisKeys, env: Record<string, string>): BotProcess {
  const proc = spawnBot(
    {
      BOT_TOKEN: TEST_TOKEN,
      REDIS_URL: redis.url,
      REDIS_PREFIX: keys.prefix,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      LOG_LEVEL: "warn",
      DELIVERY_LOCK_MS: "2000",
      DELIVERY_STALLED_MS: "1000",
      DELIVERY_RESUME_MS: "1000",
      DELIVERY_FANOUT_LOCK_MS: "2000",
      ...env,
    },
    ENTRY,
  );
  processes.push(proc);
  return proc;
}

describe("delivery across crashes and processes", () => {
  it("SIGKILL mid fan-out, then a restart: nothing lost, duplicates at most the sends in flight", async () => {
    const ids = range(10_000_000, 2000);
    const s = story("crash1");
    const keys = await prepare("crash", ids, [s]);
    const concurrency = 16;
    const env = {
      DELIVERY_RATE_LIMIT: "250",
      DELIVERY_CONCURRENCY: String(concurrency),
      DELIVERY_BATCH: "25",
    };

    const first = start(keys, { ...env, FANOUT_STORY_IDS: s.id });
    await telegram.waitFor(
      () => total(ids) >= 150 || first.child.exitCode !== null,
      20_000,
      "the first sends",
    );
    await first.kill();
    const atKill = total(ids);
    const walkUnfinished = (await redis.client.hexists(keys.deliveryFanOuts, s.id)) === 1;

    const second = start(keys, env);
    await telegram.waitFor(
      () => ids.every((id) => telegram.countTo(id) > 0) || second.child.exitCode !== null,
      40_000,
      `every chat served (have ${ids.filter((id) => telegram.countTo(id) > 0).length})`,
    );
    await new Promise((r) => setTimeout(r, 1500)); // let any late duplicate arrive

    const lost = ids.filter((id) => telegram.countTo(id) === 0);
    const duplicates = ids.reduce((sum, id) => sum + Math.max(0, telegram.countTo(id) - 1), 0);
    console.log(
      `SIGKILL after ${atKill} of ${ids.length} sends (fan-out walk ${walkUnfinished ? "unfinished" : "finished"}): lost ${lost.length}, duplicates ${duplicates} (allowed ≤ ${concurrency})`,
    );
    expect(lost).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(concurrency);
    expect(await redis.client.hlen(keys.deliveryFanOuts)).toBe(0);
    expect(second.output().stderr).toBe("");
  }, 60_000);

  it("two processes on one Redis: each story once per chat, and the global limit holds for both", async () => {
    const ids = range(11_000_000, 120);
    const stories = [story("multi1"), story("multi2")];
    const keys = await prepare("multi", ids, stories);
    telegram.enforceLimits();
    try {
      const before = telegram.tooManyRequests;
      const startedAt = performance.now();
      const env = { SEND_RATE_LIMIT: "25", FANOUT_STORY_IDS: stories.map((s) => s.id).join(",") };
      start(keys, env);
      start(keys, {
        ...env,
        FANOUT_STORY_IDS: [...stories]
          .reverse()
          .map((s) => s.id)
          .join(","),
      });
      await telegram.waitFor(() => total(ids) >= ids.length * 2, 40_000, `${ids.length * 2} messages`);
      await new Promise((r) => setTimeout(r, 1500));

      for (const id of ids) expect(telegram.countTo(id), `chat ${id}`).toBe(2);
      const sends = telegram.calls
        .filter((c) => c.method === "sendMessage" && c.status === 200 && c.at >= startedAt)
        .map((c) => c.at)
        .sort((a, b) => a - b);
      const seconds = ((sends.at(-1) ?? 0) - (sends[0] ?? 0)) / 1000;
      // Over 3 s windows, so scheduling jitter on a busy machine does not read as a breach.
      const max = maxInWindow(sends, 3000);
      const limited = telegram.tooManyRequests - before;
      console.log(
        `two processes, limit 25/s: ${sends.length} messages in ${seconds.toFixed(1)} s (${(sends.length / seconds).toFixed(1)}/s), max ${max} in any 3 s, 429s: ${limited}`,
      );
      expect(limited).toBe(0);
      expect(max).toBeLessThanOrEqual(3 * 25 + 5);
    } finally {
      telegram.enforceLimits(false);
    }
  }, 60_000);
});
