import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChartPhotos } from "../../../src/bot/chartPhotos.js";
import { createLogger } from "../../../src/logger.js";
import { ChartFileCache } from "../../../src/rates/chartCache.js";
import type { ChartSource } from "../../../src/rates/ratesService.js";
import { redisKeys } from "../../../src/storage/keys.js";
import { TEST_TOKEN } from "../../support/botProcess.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";
import { TelegramEmulator } from "../../support/telegramEmulator.js";

const logger = createLogger({ level: "silent" });

function source(ratesDate: string): ChartSource {
  return {
    days: 7,
    language: "en",
    currency: "USD",
    ratesDate,
    points: [
      { date: "2026-11-30", value: 478.1 },
      { date: ratesDate, value: 479.4 },
    ],
    title: "USD/KZT, 7 days",
    locale: "en-GB",
  };
}

/** Several processes (ChartPhotos instances) on one Redis, sending through the emulator. */
describe("ChartPhotos across processes", () => {
  let redis: TestRedis;
  let telegram: TelegramEmulator;
  let api: Api;

  beforeAll(async () => {
    redis = await useTestRedis();
    telegram = await TelegramEmulator.start(TEST_TOKEN);
    telegram.files.strict = true;
    api = new Api(TEST_TOKEN, { apiRoot: telegram.apiRoot });
  });
  afterAll(async () => {
    await telegram?.stop();
    await redis?.close();
  });

  const process = (renders: { count: number }) =>
    new ChartPhotos(new ChartFileCache(redis.client, redisKeys(redis.prefix), logger), logger, {
      onRender: () => renders.count++,
    });

  it("draws a chart once when three processes are asked for it at the same moment", async () => {
    const renders = { count: 0 };
    const processes = [process(renders), process(renders), process(renders)];
    const chart = source("2026-12-03");
    const sent = await Promise.all(
      processes.flatMap((p, i) =>
        [0, 1, 2].map((j) => p.send(chart, (photo) => api.sendPhoto(5000 + i * 10 + j, photo))),
      ),
    );
    expect(sent).toHaveLength(9);
    expect(renders.count).toBe(1);
    expect(telegram.files.uploads).toBe(1);
  });

  it("draws again when the claimant's upload failed, without waiting for its claim to expire", async () => {
    const renders = { count: 0 };
    const [a, b] = [process(renders), process(renders)];
    const chart = source("2026-12-04");
    telegram.block(6001);
    const failed = a.send(chart, (photo) => api.sendPhoto(6001, photo));
    const started = performance.now();
    const [first, second] = await Promise.allSettled([
      failed,
      b.send(chart, (photo) => api.sendPhoto(6002, photo)),
    ]);
    expect(first.status).toBe("rejected");
    expect(second.status).toBe("fulfilled");
    expect(performance.now() - started).toBeLessThan(3000);
    expect(renders.count).toBe(2);
  });
});
