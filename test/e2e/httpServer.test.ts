import { Bot } from "grammy";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningHttpServer, runReadinessChecks, startHttpServer } from "../../src/server/httpServer.js";
import { countTelegram429, createMetrics, type Metrics, timeUpdates } from "../../src/server/metrics.js";
import { createWebhookHandler, registerWebhook, SECRET_HEADER } from "../../src/server/webhook.js";
import { TEST_TOKEN } from "../support/botProcess.js";
import { TelegramEmulator } from "../support/telegramEmulator.js";

/**
 * The HTTP server over real sockets: health, readiness, metrics, and webhook updates reaching a
 * real grammY bot that answers through the Telegram emulator.
 */

const SECRET = "test-webhook-secret_0123456789abcdef";
const WEBHOOK_PATH = "/telegram/webhook";
const CHAT_ID = 424242;

let nextUpdateId = 1;
function startUpdate(chatId = CHAT_ID): Record<string, unknown> {
  const user = { id: chatId, is_bot: false, first_name: "Aigerim" };
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextUpdateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "Aigerim" },
      from: user,
      text: "/start",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
    },
  };
}

describe("the HTTP server", () => {
  let telegram: TelegramEmulator;
  let server: RunningHttpServer;
  let metrics: Metrics;
  let base: string;
  let redisUp = true;
  let handlerCalls = 0;
  let botHandled = 0;

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });

  beforeAll(async () => {
    telegram = await TelegramEmulator.start(TEST_TOKEN);
    telegram.user(CHAT_ID, { firstName: "Aigerim" });
    // The bot's identity as Telegram (here: the emulator) states it, given up front as in the app.
    const botInfo = await new Bot(TEST_TOKEN, { client: { apiRoot: telegram.apiRoot } }).api.getMe();
    const bot = new Bot(TEST_TOKEN, { client: { apiRoot: telegram.apiRoot }, botInfo });
    metrics = createMetrics({ queueDepth: async () => 7 });
    bot.api.config.use(countTelegram429(metrics));
    bot.use(timeUpdates(metrics));
    bot.command("start", async (ctx) => {
      botHandled++;
      await ctx.reply("Сәлеметсіз бе! Welcome.");
    });
    bot.catch(() => {});
    const handler = createWebhookHandler(bot, { secret: SECRET, logger: pino({ level: "silent" }) });

    server = await startHttpServer({
      port: 0,
      host: "127.0.0.1",
      logger: pino({ level: "silent" }),
      metrics,
      readiness: () => runReadinessChecks({ redis: () => redisUp || "redis reconnecting", bot: () => true }),
      webhook: {
        path: WEBHOOK_PATH,
        secret: SECRET,
        handler: async (req, res) => {
          handlerCalls++;
          await handler(req, res);
        },
      },
    });
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
    await telegram?.stop();
  });

  it("answers /healthz with 200 while the process runs", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz with 200 when every check passes and 503 with the failing check otherwise", async () => {
    const ok = await fetch(`${base}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ready: true, checks: { redis: true, bot: true } });

    redisUp = false;
    try {
      const down = await fetch(`${base}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({
        ready: false,
        checks: { redis: "redis reconnecting", bot: true },
      });
    } finally {
      redisUp = true;
    }
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it("serves /metrics as Prometheus text with the bot's metrics and the process metrics", async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const samples = parsePrometheusText(text);
    for (const name of [
      "kzuz_messages_sent_total",
      "kzuz_messages_failed_total",
      "kzuz_telegram_429_total",
      "kzuz_delivery_queue_depth",
      "kzuz_feeds_polled_total",
      "kzuz_feed_poll_seconds_count",
      "kzuz_stories_accepted_total",
      "kzuz_stories_rejected_total",
      "kzuz_rates_fetches_total",
      "kzuz_update_seconds_count",
      "process_cpu_user_seconds_total",
      "nodejs_heap_size_used_bytes",
    ]) {
      if (name === "kzuz_feed_poll_seconds_count") {
        // No feed polled yet: the histogram has its TYPE line but no series.
        expect(text).toContain("# TYPE kzuz_feed_poll_seconds histogram");
        continue;
      }
      expect(
        samples.some((s) => s.name === name),
        name,
      ).toBe(true);
    }
    expect(samples.find((s) => s.name === "kzuz_delivery_queue_depth")?.value).toBe(7);
    expect(
      samples.find((s) => s.name === "kzuz_messages_failed_total" && s.labels.reason === "blocked")?.value,
    ).toBe(0);
  });

  it("passes a webhook update with the right secret to the bot, whose reply reaches Telegram", async () => {
    const before = telegram.messagesTo(CHAT_ID).length;
    const res = await post(WEBHOOK_PATH, JSON.stringify(startUpdate()), { [SECRET_HEADER]: SECRET });
    expect(res.status).toBe(200);
    const reply = await telegram.waitFor(() => telegram.messagesTo(CHAT_ID)[before], 5_000, "the reply");
    expect(reply.text).toBe("Сәлеметсіз бе! Welcome.");

    const samples = parsePrometheusText(await (await fetch(`${base}/metrics`)).text());
    expect(samples.find((s) => s.name === "kzuz_update_seconds_count")?.value).toBeGreaterThanOrEqual(1);
  });

  it("refuses a webhook request with a wrong or missing secret with 401, without running the handler", async () => {
    const callsBefore = handlerCalls;
    const handledBefore = botHandled;
    const sentBefore = telegram.messagesTo(CHAT_ID).length;

    const wrong = await post(WEBHOOK_PATH, JSON.stringify(startUpdate()), { [SECRET_HEADER]: `${SECRET}x` });
    expect(wrong.status).toBe(401);
    const missing = await post(WEBHOOK_PATH, JSON.stringify(startUpdate()));
    expect(missing.status).toBe(401);
    const empty = await post(WEBHOOK_PATH, JSON.stringify(startUpdate()), { [SECRET_HEADER]: "" });
    expect(empty.status).toBe(401);
    expect(await empty.text()).not.toContain(SECRET);

    expect(handlerCalls).toBe(callsBefore);
    expect(botHandled).toBe(handledBefore);
    expect(telegram.messagesTo(CHAT_ID).length).toBe(sentBefore);
  });

  it("answers 400 to a body that is not JSON, and stays up", async () => {
    const res = await post(WEBHOOK_PATH, "{not json", { [SECRET_HEADER]: SECRET });
    expect(res.status).toBe(400);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("refuses an oversized webhook body by its length before reading it", async () => {
    const res = await post(WEBHOOK_PATH, "x".repeat(1_100_000), { [SECRET_HEADER]: SECRET });
    expect(res.status).toBe(413);
  });

  it("answers 404 to unknown paths and 405 with Allow to a wrong method", async () => {
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/telegram/other`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${base}/healthz?probe=1`)).status).toBe(200);

    const getWebhook = await fetch(`${base}${WEBHOOK_PATH}`);
    expect(getWebhook.status).toBe(405);
    expect(getWebhook.headers.get("allow")).toBe("POST");
    const postHealth = await post("/healthz", "{}");
    expect(postHealth.status).toBe(405);
    expect(postHealth.headers.get("allow")).toBe("GET, HEAD");
  });

  it("counts Telegram's 429 answers to the bot's own calls", async () => {
    telegram.injectFault("too-many-requests", { method: "sendMessage", count: 1, value: 1 });
    const res = await post(WEBHOOK_PATH, JSON.stringify(startUpdate()), { [SECRET_HEADER]: SECRET });
    expect(res.status).toBe(200);
    await telegram.waitFor(() => telegram.tooManyRequests > 0 || undefined, 5_000, "the 429");
    const samples = parsePrometheusText(await (await fetch(`${base}/metrics`)).text());
    expect(samples.find((s) => s.name === "kzuz_telegram_429_total")?.value).toBe(1);
  });

  it("registers the webhook with its secret and keeps pending updates", async () => {
    await registerWebhook(new Bot(TEST_TOKEN, { client: { apiRoot: telegram.apiRoot } }).api, {
      url: "https://bot.example.com/telegram/webhook",
      secret: SECRET,
      allowedUpdates: ["message", "callback_query"],
    });
    const call = telegram.callsOf("setWebhook").at(-1);
    expect(call?.params).toMatchObject({
      url: "https://bot.example.com/telegram/webhook",
      secret_token: SECRET,
      drop_pending_updates: false,
      allowed_updates: ["message", "callback_query"],
    });
  });

  it("reports a failed registration without the secret", async () => {
    telegram.injectFault("server-error", { method: "setWebhook", count: 1 });
    const error = await registerWebhook(new Bot(TEST_TOKEN, { client: { apiRoot: telegram.apiRoot } }).api, {
      url: "https://bot.example.com/telegram/webhook",
      secret: SECRET,
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/could not register the webhook/);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(String((error as Error).message)).not.toContain(SECRET);
  });
});

describe("closing the HTTP server", () => {
  it("reports unready while closing, waits for a request in progress, then refuses connections", async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await startHttpServer({
      port: 0,
      host: "127.0.0.1",
      logger: pino({ level: "silent" }),
      metrics: createMetrics({ defaultMetrics: false }),
      readiness: async () => ({ ready: true, checks: {} }),
      webhook: {
        path: WEBHOOK_PATH,
        secret: SECRET,
        handler: async (_req, res) => {
          await slow;
          res.writeHead(200).end();
        },
      },
    });
    const base = `http://127.0.0.1:${server.port}`;
    const inFlight = fetch(`${base}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { [SECRET_HEADER]: SECRET },
      body: "{}",
    });
    await new Promise((r) => setTimeout(r, 100));
    const closeStarted = performance.now();
    const closed = server.close();
    const readyz = await fetch(`${base}/readyz`).then(
      (r) => r.status,
      () => "refused",
    );
    // A new connection is refused; had one been accepted, it must not have said "ready".
    expect(readyz === "refused" || readyz === 503).toBe(true);
    release();
    expect((await inFlight).status).toBe(200);
    await closed;
    // The answered client's keep-alive socket must not hold close() until a timeout.
    expect(performance.now() - closeStarted).toBeLessThan(4_000);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it("reports readiness failures and slow checks as not ready", async () => {
    const report = await runReadinessChecks(
      {
        fine: () => true,
        broken: async () => {
          throw new Error("redis://:hunter2@db:6379 refused");
        },
        slow: () => new Promise<boolean>((r) => setTimeout(() => r(true), 500)),
      },
      100,
    );
    expect(report).toEqual({ ready: false, checks: { fine: true, broken: "failed", slow: "timed out" } });
    expect(JSON.stringify(report)).not.toContain("hunter2");
  });
});

type Sample = { name: string; labels: Record<string, string>; value: number };

/** A strict reader of the Prometheus text format: every non-comment line must be a sample. */
function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  const typed = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("#")) {
      const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (type?.[1]) typed.add(type[1]);
      else expect(line, "comment line").toMatch(/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/);
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|NaN|Nan|[+-]Inf)( \d+)?$/.exec(line);
    expect(match, `sample line: ${line}`).not.toBeNull();
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] as string] = pair[2] as string;
    }
    const name = match[1] as string;
    const family = name.replace(/_(bucket|sum|count)$/, "");
    expect(typed.has(name) || typed.has(family), `TYPE declared for ${name}`).toBe(true);
    samples.push({ name, labels, value: Number(match[4]) });
  }
  return samples;
}
