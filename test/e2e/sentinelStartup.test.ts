import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, spawnBot, TEST_TOKEN } from "../support/botProcess.js";
import { NbkServer } from "../support/nbkServer.js";
import { freePort } from "../support/redis.js";
import { SentinelGroup } from "../support/sentinel.js";
import { TelegramEmulator } from "../support/telegramEmulator.js";

/**
 * Sentinel settings through the real entry point: passwords on the data nodes (from REDIS_URL)
 * and on the sentinels (REDIS_SENTINEL_PASSWORD) reach the right servers, and sentinels that
 * cannot be reached stop start-up with a message naming them, instead of hanging.
 */
describe("Sentinel settings at start-up", () => {
  const dataPassword = "data-node-s3cret";
  const sentinelPassword = "sentinel-s3cret";
  let group: SentinelGroup;
  let telegram: TelegramEmulator;
  let nbk: NbkServer;
  let bot: BotProcess | undefined;
  // No feeds: tests never reach real outlets.
  const dir = mkdtempSync(join(tmpdir(), "kzuz-sentinel-start-"));
  const feedsFile = join(dir, "feeds.json");
  writeFileSync(feedsFile, "[]");

  beforeAll(async () => {
    group = await SentinelGroup.start({ data: dataPassword, sentinel: sentinelPassword });
    telegram = await TelegramEmulator.start(TEST_TOKEN);
    nbk = await NbkServer.start();
  }, 30_000);
  afterAll(async () => {
    await bot?.kill();
    await telegram?.stop();
    await nbk?.stop();
    await group?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string>) => ({
    BOT_TOKEN: TEST_TOKEN,
    REDIS_SENTINEL_NAME: group.name,
    REDIS_PREFIX: "kzuzsentinelstart",
    TELEGRAM_API_ROOT: telegram.apiRoot,
    FEEDS_FILE: feedsFile,
    NBK_RATES_URL: nbk.url,
    ...extra,
  });

  it("authenticates to the sentinels and to the primary, is ready, and never logs the passwords", async () => {
    const httpPort = await freePort();
    const before = telegram.callsOf("getUpdates").length;
    bot = spawnBot(
      env({
        REDIS_SENTINELS: group.sentinelsEnv,
        REDIS_SENTINEL_PASSWORD: sentinelPassword,
        REDIS_URL: `redis://:${dataPassword}@unused-host:6379`,
        HTTP_PORT: String(httpPort),
      }),
    );
    await telegram.waitFor(
      () => telegram.callsOf("getUpdates").length > before || bot?.child.exitCode !== null,
      20_000,
      "the bot to poll",
    );
    expect(bot.child.exitCode, bot.output().stderr).toBeNull();
    const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
    expect(ready.status).toBe(200);
    // The bot's writes went to the primary the sentinels name.
    const primary = group.client(await group.primaryPort());
    try {
      expect((await primary.keys("kzuzsentinelstart:*")).length).toBeGreaterThan(0);
    } finally {
      primary.disconnect();
    }
    const exit = await bot.stop();
    expect(exit.code).toBe(0);
    const { stdout, stderr } = bot.output();
    expect(stdout + stderr).not.toContain(dataPassword);
    expect(stdout + stderr).not.toContain(sentinelPassword);
  });

  it("stops start-up with a clear message when no sentinel answers", async () => {
    const closed = [await freePort(), await freePort()];
    const started = Date.now();
    bot = spawnBot(
      env({
        REDIS_SENTINELS: closed.map((p) => `127.0.0.1:${p}`).join(","),
        REDIS_URL: "redis://unused:6379",
      }),
    );
    const exit = await bot.exited;
    expect(exit.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(bot.output().stderr).toContain(
      `cannot reach Redis at primary "${group.name}" through sentinels 127.0.0.1:${closed[0]}`,
    );
  });
});
