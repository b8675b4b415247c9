import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  latencySampler,
  legSampler,
  TELEGRAM_LATENCY,
  TELEGRAM_LIMITS,
  TelegramEmulator,
} from "../../support/telegramEmulator.js";

/** The emulator as slow as Telegram, with limits counted on arrival at the server. */
const TOKEN = "44:emulator-latency-test-token-0000";

const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))] as number;

describe("Telegram emulator: latency model", () => {
  it("draws a seeded lognormal: median 150 ms, p99 about 1 s, rare multi-second stalls", () => {
    const sample = (seed: number) => {
      const next = latencySampler({ ...TELEGRAM_LATENCY, seed });
      return Array.from({ length: 50_000 }, next);
    };
    const a = sample(7);
    expect(sample(7).slice(0, 100)).toEqual(a.slice(0, 100));
    expect(sample(8)[0]).not.toBe(a[0]);
    const sorted = [...a].sort((x, y) => x - y);
    expect(quantile(sorted, 0.5)).toBeGreaterThan(140);
    expect(quantile(sorted, 0.5)).toBeLessThan(160);
    expect(quantile(sorted, 0.99)).toBeGreaterThan(850);
    expect(quantile(sorted, 0.99)).toBeLessThan(1300);
    const stalls = a.filter((ms) => ms >= 2000).length / a.length;
    expect(stalls).toBeGreaterThan(0.001);
    expect(stalls).toBeLessThan(0.006);
  });

  it("puts the tail and the stalls after arrival: the way to the server varies by milliseconds", () => {
    const next = legSampler({ ...TELEGRAM_LATENCY, seed: 5 });
    const legs = Array.from({ length: 50_000 }, next);
    const inbound = legs.map((l) => l.inboundMs).sort((x, y) => x - y);
    const outbound = legs.map((l) => l.outboundMs).sort((x, y) => x - y);
    expect(quantile(inbound, 0.5)).toBeGreaterThan(35);
    expect(quantile(inbound, 0.5)).toBeLessThan(40);
    expect(quantile(inbound, 0.99) - quantile(inbound, 0.01)).toBeLessThan(20);
    expect(quantile(outbound, 0.99)).toBeGreaterThan(800);
    expect(outbound.filter((ms) => ms >= 2000).length).toBeGreaterThan(50);
    expect(inbound.at(-1)).toBeLessThan(100);
  });

  it("keeps the earlier model, half of each round trip on either side, to compare", () => {
    const next = legSampler({ ...TELEGRAM_LATENCY, inbound: "half", seed: 5 });
    const legs = Array.from({ length: 10_000 }, next);
    expect(legs.every((l) => l.inboundMs === l.outboundMs)).toBe(true);
    const inbound = legs.map((l) => l.inboundMs).sort((x, y) => x - y);
    expect(quantile(inbound, 0.99)).toBeGreaterThan(400);
  });
});

describe("Telegram emulator: limits on arrival", () => {
  let telegram: TelegramEmulator;
  const send = async (params: Record<string, unknown>) => {
    const res = await fetch(`${telegram.apiRoot}/bot${TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "m", ...params }),
    });
    return res.status;
  };

  beforeEach(async () => {
    // What is tested here is the emulator itself: its answers, not its timing or its limits.
    telegram = await TelegramEmulator.start(TOKEN, { latency: false, limits: false });
  });
  afterEach(async () => telegram.stop());

  it("is as slow as Telegram and enforces its limits unless started without them", async () => {
    const strict = await TelegramEmulator.start(TOKEN);
    try {
      const status = (chat_id: number) =>
        fetch(`${strict.apiRoot}/bot${TOKEN}/sendMessage`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ chat_id, text: "m" }),
        }).then((res) => res.status);
      // Six at once to one chat: its burst lets three through and Telegram refuses the rest.
      const statuses = await Promise.all(Array.from({ length: 6 }, () => status(1)));
      expect(statuses.filter((s) => s === 200)).toHaveLength(TELEGRAM_LIMITS.perChatBurst);
      expect(strict.tooManyRequestsByCause.chat).toBe(6 - TELEGRAM_LIMITS.perChatBurst);
      expect(strict.latencyDrawnMs).toBeGreaterThan(0);
    } finally {
      await strict.stop();
    }
  });

  it("has no latency when started without it, and follows setLatency", async () => {
    // Counted, not timed: a busy machine must not decide this test.
    await send({ chat_id: 1 });
    expect(telegram.latencyDrawnMs).toBe(0);
    telegram.setLatency({ medianMs: 20, p99Ms: 21, seed: 1 });
    await send({ chat_id: 1 });
    expect(telegram.latencyDrawnMs).toBeGreaterThan(10);
    telegram.setLatency(false);
    const before = telegram.latencyDrawnMs;
    await send({ chat_id: 2 });
    expect(telegram.latencyDrawnMs).toBe(before);
  });

  it("delays each call by the model and counts limits at arrival, not at the answer", async () => {
    telegram.setLatency({ medianMs: 200, p99Ms: 201, seed: 3 });
    telegram.enforceLimits(TELEGRAM_LIMITS);
    const started = performance.now();
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => send({ chat_id: 100 + i })));
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    // The bot-wide allowance of 30 at once, and what it refilled (30/s) while the 40 arrived: the
    // arrivals spread over a few ms, more on a busy machine.
    const accepted = statuses.filter((s) => s === 200).length;
    const arrivals = telegram.arrivals.free;
    const refilled = Math.floor(((Math.max(...arrivals) - Math.min(...arrivals)) * 30) / 1000);
    expect(accepted).toBeGreaterThanOrEqual(30);
    expect(accepted).toBeLessThanOrEqual(30 + refilled);
    expect(telegram.tooManyRequestsByCause.global).toBe(40 - accepted);
    // Arrival times were taken after the way to the server (a quarter of the round trip, ~50 ms).
    expect(Math.min(...arrivals) - started).toBeGreaterThanOrEqual(45);
  });

  it("allows 1,000/s bot-wide with allow_paid_broadcast and counts 429s by cause", async () => {
    telegram.enforceLimits(TELEGRAM_LIMITS);
    const paid = await Promise.all(
      Array.from({ length: 200 }, (_, i) => send({ chat_id: 1000 + i, allow_paid_broadcast: true })),
    );
    expect(paid.every((s) => s === 200)).toBe(true);
    expect(telegram.arrivals.maxInWindow("paid")).toBe(200);
    expect(telegram.arrivals.perSecond("paid").reduce((a, b) => a + b, 0)).toBe(200);
    for (let i = 0; i < 4; i++) await send({ chat_id: 5 });
    await send({ chat_id: -5 });
    expect(telegram.tooManyRequestsByCause).toMatchObject({ chat: 1, paid: 0, global: 0 });
  });

  it("does not charge a chat for a call refused by the bot-wide limit", async () => {
    telegram.enforceLimits({ ...TELEGRAM_LIMITS, globalPerSecond: 1 });
    expect(await send({ chat_id: 1 })).toBe(200);
    // Four refusals bot-wide; had each taken from chat 2's burst of 3, the fourth would be a chat 429.
    for (let i = 0; i < 4; i++) expect(await send({ chat_id: 2 })).toBe(429);
    expect(telegram.tooManyRequestsByCause).toMatchObject({ global: 4, chat: 0 });
  });
});
