import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotHarness } from "../support/botHarness.js";
import { freePort } from "../support/redis.js";

/** Health, readiness, metrics and webhook mode, served by the real bot process. */
describe("the bot's HTTP server", () => {
  let h: BotHarness;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await BotHarness.start({ HTTP_PORT: String(port) });
  });
  afterAll(async () => h?.close());

  it("answers /healthz and /readyz", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { redis: true, bot: true } });
  });

  it("exposes Prometheus metrics that move with real work", async () => {
    // The history is backfilled at start; without its newest day, /rates must ask NBK.
    const dates = `${h.redis.prefix}:rates:dates`;
    for (let i = 0; i < 100 && (await h.redis.client.zcard(dates)) < 50; i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const [newest] = await h.redis.client.zrange(dates, -1, -1);
    await h.redis.client
      .multi()
      .zrem(dates, String(newest))
      .del(`${h.redis.prefix}:rates:day:${newest}`)
      .exec();
    const user = h.telegram.user(8001, { languageCode: "en" });
    await user.ask("/start");
    await user.ask("/rates");
    const metrics = async () => (await fetch(`${base}/metrics`)).text();
    // An update is timed when its handler ends, after Telegram's answer, which comes after the
    // person has the message.
    await expect
      .poll(async () => Number(/^kzuz_update_seconds_count (\d+)/m.exec(await metrics())?.[1]))
      .toBeGreaterThanOrEqual(2);
    await expect.poll(metrics).toMatch(/^kzuz_rates_fetches_total\{outcome="ok"\} [1-9]/m);
    const text = await metrics();
    expect(text).toMatch(/^kzuz_rates_fetches_total\{outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^kzuz_delivery_queue_depth \d+/m);
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("reports not ready while Redis is down", async () => {
    if (!h.redis.server) return; // an external REDIS_URL cannot be stopped by the test
    await h.redis.server.kill();
    try {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await h.redis.server.restart();
    }
  });
});

describe("webhook mode", () => {
  let h: BotHarness;
  let base: string;
  const secret = "s3cret-webhook-token_for-tests";

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await BotHarness.start(
      {
        HTTP_PORT: String(port),
        WEBHOOK_URL: "https://bot.example.test/telegram/hook",
        WEBHOOK_SECRET: secret,
      },
      { waitFor: "setWebhook" },
    );
  });
  afterAll(async () => h?.close());

  const post = (update: object, headers: Record<string, string>) =>
    fetch(`${base}/telegram/hook`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(update),
    });

  const start = (updateId: number) => ({
    update_id: updateId,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: 8101, type: "private", first_name: "Web" },
      from: { id: 8101, is_bot: false, first_name: "Web", language_code: "en" },
      text: "/start",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
    },
  });

  it("registers the webhook with its secret and does not poll", () => {
    const call = h.telegram.callsOf("setWebhook").at(-1);
    expect(call?.params).toMatchObject({
      url: "https://bot.example.test/telegram/hook",
      secret_token: secret,
    });
    expect(h.telegram.callsOf("getUpdates")).toHaveLength(0);
  });

  it("handles an update with the right secret, once, even when Telegram retries it", async () => {
    expect((await post(start(501), { "x-telegram-bot-api-secret-token": secret })).status).toBe(200);
    await h.telegram.waitFor(() => h.telegram.messagesTo(8101).length >= 1, 10_000, "the webhook reply");
    expect(h.telegram.messagesTo(8101)[0]?.text).toContain("Hello, Web!");
    expect((await post(start(501), { "x-telegram-bot-api-secret-token": secret })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.telegram.messagesTo(8101)).toHaveLength(1);
  });

  it("refuses a wrong or missing secret with 401", async () => {
    expect((await post(start(502), { "x-telegram-bot-api-secret-token": "nope" })).status).toBe(401);
    expect((await post(start(503), {})).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.telegram.messagesTo(8101)).toHaveLength(1);
  });
});
