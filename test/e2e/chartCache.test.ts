import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { RateHistory } from "../../src/rates/rateHistory.js";
import { redisKeys } from "../../src/storage/keys.js";
import { BotHarness } from "../support/botHarness.js";
import { freePort } from "../support/redis.js";
import type { SentMessage } from "../support/telegramEmulator.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The /rates chart drawn once and then sent by the file_id Telegram returned, in every process;
 * drawn again when Telegram no longer knows the file_id or when the rates data changes.
 */
describe("rates chart cache", () => {
  let h: BotHarness;
  let metricsUrl: string;
  let nextUser = 7001;
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(metricsUrl)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
  };
  const askRates = async (languageCode = "en"): Promise<SentMessage> => {
    const reply = await h.telegram.user(nextUser++, { languageCode }).ask("/rates");
    expect(reply.method).toBe("sendPhoto");
    return reply;
  };
  const uploaded = (m: SentMessage) => m.photo?.data !== undefined;

  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    h = await BotHarness.start({ HTTP_PORT: String(port) });
    h.telegram.files.strict = true;
    for (let i = 0; i < 100 && (await h.redis.client.zcard(`${h.redis.prefix}:rates:dates`)) < 50; i++) {
      await sleep(200);
    }
  });
  afterAll(async () => h?.close());

  it("draws the chart once and sends the largest size's file_id to the next users", async () => {
    const first = await askRates();
    expect(uploaded(first)).toBe(true);
    const second = await askRates();
    const third = await askRates();
    expect(uploaded(second)).toBe(false);
    expect(second.photo?.file_id).toBe(first.photo?.file_id);
    // The emulator lists a thumbnail first; the bot must keep the original size.
    expect(second.photo?.file_id).not.toMatch(/-s$/);
    expect(third.photo?.file_id).toBe(first.photo?.file_id);
    expect(third.caption).toBe(first.caption);
    // Counted once Telegram's answer is back, which comes after the person has the photo.
    await expect.poll(() => metric("kzuz_chart_cache_hits_total")).toBe(2);
    expect(await metric("kzuz_chart_renders_total")).toBe(1);
  });

  it("draws one chart per language", async () => {
    const english = (await askRates("en")).photo?.file_id;
    const russian = await askRates("ru");
    expect(uploaded(russian)).toBe(true);
    expect(russian.photo?.file_id).not.toBe(english);
    expect(uploaded(await askRates("ru"))).toBe(false);
    expect(await metric("kzuz_chart_renders_total")).toBe(2);
  });

  it("draws once when many ask for a chart nobody has drawn yet, at the same moment", async () => {
    const renders = await metric("kzuz_chart_renders_total");
    const uploads = h.telegram.files.uploads;
    const crowd = Array.from({ length: 12 }, () => h.telegram.user(nextUser++, { languageCode: "kk" }));
    for (const user of crowd) user.send("/rates");
    await h.telegram.waitFor(() => crowd.every((u) => u.messages().length > 0), 15_000, "every answer");
    expect(crowd.every((u) => u.lastMessage()?.method === "sendPhoto")).toBe(true);
    expect(h.telegram.files.uploads - uploads).toBe(1);
    expect((await metric("kzuz_chart_renders_total")) - renders).toBe(1);
  });

  it("switches periods in place by file_id once each period is drawn", async () => {
    const a = h.telegram.user(nextUser++, { languageCode: "en" });
    const b = h.telegram.user(nextUser++, { languageCode: "en" });
    const messageA = await a.ask("/rates");
    const messageB = await b.ask("/rates");
    await a.waitForAnswer(a.press("7 days", messageA));
    await h.telegram.waitFor(
      () => /• 7 days •/.test(JSON.stringify(messageA.reply_markup)),
      8000,
      "A's edit",
    );
    expect(messageA.photo?.data).toBeDefined();
    await b.waitForAnswer(b.press("7 days", messageB));
    await h.telegram.waitFor(
      () => /• 7 days •/.test(JSON.stringify(messageB.reply_markup)),
      8000,
      "B's edit",
    );
    expect(messageB.photo?.data).toBeUndefined();
    expect(messageB.photo?.file_id).toBe(messageA.photo?.file_id);
    // Pressing the period already shown changes nothing and is not an error.
    const errorsBefore = (h.bot?.output().stdout ?? "").split("telegram refused a call").length;
    await b.waitForAnswer(b.press("• 7 days •", messageB));
    await sleep(300);
    expect((h.bot?.output().stdout ?? "").split("telegram refused a call").length).toBe(errorsBefore);
  });

  it("reuses the file_id in a second process", async () => {
    const before = await askRates();
    const uploads = h.telegram.files.uploads;
    await h.restart();
    const after = await askRates();
    expect(uploaded(after)).toBe(false);
    expect(after.photo?.file_id).toBe(before.photo?.file_id);
    expect(h.telegram.files.uploads).toBe(uploads);
    expect(await metric("kzuz_chart_renders_total")).toBe(0);
  });

  it("draws and uploads again when Telegram no longer knows the file_id", async () => {
    const stale = (await askRates()).photo?.file_id;
    h.telegram.files.forgetAll();
    const refusedBefore = h.telegram.calls.filter((c) => c.method === "sendPhoto" && c.status === 400).length;
    const fresh = await askRates();
    expect(uploaded(fresh)).toBe(true);
    expect(fresh.photo?.file_id).not.toBe(stale);
    const refused = h.telegram.calls.filter((c) => c.method === "sendPhoto" && c.status === 400).length;
    expect(refused - refusedBefore).toBe(1);
    // The fresh upload's file_id replaced the stale one for everybody.
    const next = await askRates();
    expect(uploaded(next)).toBe(false);
    expect(next.photo?.file_id).toBe(fresh.photo?.file_id);
  });

  it("draws again after a correction overwrites a day of the history", async () => {
    const keys = redisKeys(h.redis.prefix);
    const history = new RateHistory(h.redis.client, keys, createLogger({ level: "silent" }));
    const before = await askRates();
    const dates = await h.redis.client.zrange(keys.ratesDates, -3, -1);
    const corrected = await history.get(dates[0] as string);
    if (!corrected) throw new Error("no stored rates to correct");
    await history.save({
      ...corrected,
      rates: { ...corrected.rates, USD: (corrected.rates.USD ?? 500) + 1.5 },
    });
    // The answer cache lives a minute in a process; a new process sees the correction at once.
    await h.restart();
    const after = await askRates();
    expect(uploaded(after)).toBe(true);
    expect(after.photo?.file_id).not.toBe(before.photo?.file_id);
  });
});
