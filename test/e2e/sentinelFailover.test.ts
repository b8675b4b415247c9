import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { redisKeys } from "../../src/storage/keys.js";
import { SubscriptionStore } from "../../src/storage/subscriptions.js";
import { type BotProcess, spawnBot, TEST_TOKEN } from "../support/botProcess.js";
import { FeedServer } from "../support/feedServer.js";
import { NbkServer } from "../support/nbkServer.js";
import { freePort } from "../support/redis.js";
import { rssFeed } from "../support/rssFeed.js";
import { SentinelGroup } from "../support/sentinel.js";
import { TelegramEmulator } from "../support/telegramEmulator.js";

/**
 * Redis high availability end to end: the real bot, configured with REDIS_SENTINELS only (its
 * REDIS_URL points nowhere), fans a story out to many subscribers; the primary is SIGKILLed mid
 * fan-out; the sentinels promote the replica; the bot follows. What was acknowledged before the
 * kill (subscriptions confirmed by a replica with WAIT) survives, every subscriber gets the
 * story, and duplicates stay within the sends that were in flight. /readyz says 503 meanwhile.
 */

const SUBSCRIBERS = 400;
// Telegram's free limit: SEND_RATE_LIMIT above 30 needs PAID_BROADCAST (config.ts).
const RATE = 30;
// The worker's default concurrency at this rate (defaultConcurrency in src/delivery/worker.ts):
// at most this many sends are in flight when the primary dies.
const IN_FLIGHT = Math.ceil(RATE / 2);
const ids = Array.from({ length: SUBSCRIBERS }, (_, i) => 20_000_000 + i);

describe("Redis Sentinel failover mid fan-out", () => {
  let group: SentinelGroup;
  let telegram: TelegramEmulator;
  let nbk: NbkServer;
  let feeds: FeedServer;
  let bot: BotProcess | undefined;
  let httpPort: number;
  const dir = mkdtempSync(join(tmpdir(), "kzuz-failover-"));
  const prefix = "kzuzfailover";

  beforeAll(async () => {
    group = await SentinelGroup.start();
    telegram = await TelegramEmulator.start(TEST_TOKEN);
    telegram.recordMessages = false;
    nbk = await NbkServer.start();
    feeds = await FeedServer.start();
    httpPort = await freePort();
  }, 30_000);
  afterAll(async () => {
    await bot?.kill();
    await feeds?.close();
    await nbk?.stop();
    await telegram?.stop();
    await group?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("follows the new primary: nothing acknowledged lost, duplicates within what was in flight, not ready meanwhile", async () => {
    const firstPrimary = await group.primaryPort();
    expect(firstPrimary).toBe(group.dataPorts[0]);

    // Subscribers, acknowledged by the replica (WAIT) as docs/production.md prescribes for
    // writes that must survive a failover.
    const seed = group.client(firstPrimary);
    const subscriptions = new SubscriptionStore(seed, redisKeys(prefix), createLogger({ level: "silent" }));
    for (const chatId of ids) {
      await subscriptions.subscribe(chatId, {
        kind: "private",
        language: "ru",
        topics: ["trade"],
        rates: false,
      });
    }
    expect(await seed.wait(1, 5_000)).toBe(1);
    seed.disconnect();

    feeds.route("/feed.xml", {
      body: rssFeed("Outlet", [
        {
          title: "Казахстан и Узбекистан договорились довести товарооборот до 10 млрд долларов",
          link: "https://outlet.test/news/trade-failover",
          description:
            "Премьер-министры двух стран подписали дорожную карту по расширению торговли и экспорта.",
          published: new Date(Date.now() - 10 * 60_000),
        },
      ]),
    });
    const feedsFile = join(dir, "feeds.json");
    writeFileSync(
      feedsFile,
      JSON.stringify([{ id: "outlet", url: feeds.url("/feed.xml"), outlet: "Outlet", language: "ru" }]),
    );

    bot = spawnBot({
      BOT_TOKEN: TEST_TOKEN,
      // Unused in Sentinel mode: the sentinels name the primary. Port 1 proves it.
      REDIS_URL: "redis://127.0.0.1:1",
      REDIS_SENTINELS: group.sentinelsEnv,
      REDIS_SENTINEL_NAME: group.name,
      REDIS_PREFIX: prefix,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      NBK_RATES_URL: nbk.url,
      FEEDS_FILE: feedsFile,
      HTTP_PORT: String(httpPort),
      SEND_RATE_LIMIT: String(RATE),
      LOG_LEVEL: "warn",
    });
    const served = () => ids.filter((id) => telegram.countTo(id) > 0).length;
    await telegram.waitFor(
      () => served() >= 100 || bot?.child.exitCode !== null,
      20_000,
      "the fan-out to be under way",
    );
    expect(bot.child.exitCode, bot.output().stderr).toBeNull();
    const readyBefore = await readiness();
    expect(readyBefore).toBe(200);

    // Readiness, sampled through the outage.
    const samples: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await readiness());
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await group.kill(firstPrimary);
    const atKill = served();
    const killedAt = Date.now();
    const newPrimary = await group.waitForFailover(firstPrimary);
    const failoverMs = Date.now() - killedAt;
    expect(newPrimary).toBe(group.dataPorts[1]);

    await telegram.waitFor(
      () => served() === SUBSCRIBERS || bot?.child.exitCode !== null,
      30_000,
      `every subscriber served after the failover (have ${served()})`,
    );
    const recoveredMs = Date.now() - killedAt;
    await new Promise((r) => setTimeout(r, 1_500)); // a late duplicate would arrive by now
    while ((await readiness()) !== 200 && Date.now() - killedAt < 30_000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    sampling = false;
    await sampler;

    const duplicates = ids.reduce((sum, id) => sum + Math.max(0, telegram.countTo(id) - 1), 0);
    console.log(
      `failover: primary killed after ${atKill}/${SUBSCRIBERS} sends, sentinels promoted the replica in ${failoverMs} ms, ` +
        `all served ${recoveredMs} ms after the kill; duplicates ${duplicates} (allowed ≤ ${IN_FLIGHT}); ` +
        `readiness samples: ${samples.filter((s) => s !== 200).length} not ready of ${samples.length}`,
    );
    expect(served()).toBe(SUBSCRIBERS);
    expect(duplicates).toBeLessThanOrEqual(IN_FLIGHT);
    // The outage showed on /readyz, and readiness came back on the new primary.
    expect(samples.some((s) => s === 503)).toBe(true);
    expect(await readiness()).toBe(200);
    // The acknowledged subscriptions are all on the new primary.
    const check = group.client(newPrimary);
    try {
      const survivors = new SubscriptionStore(check, redisKeys(prefix), createLogger({ level: "silent" }));
      const found = await Promise.all(ids.map((id) => survivors.get(id)));
      expect(found.filter((s) => s === undefined)).toHaveLength(0);
    } finally {
      check.disconnect();
    }
    expect(bot.child.exitCode).toBeNull();
  }, 60_000);

  async function readiness(): Promise<number> {
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/readyz`, { signal: AbortSignal.timeout(3_000) });
      await res.body?.cancel();
      return res.status;
    } catch {
      return 0;
    }
  }
});
