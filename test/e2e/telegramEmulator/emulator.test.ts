import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TELEGRAM_LIMITS, TelegramEmulator } from "../../support/telegramEmulator.js";

/** The emulator is the ground truth of every end-to-end test, so it is tested too. */
const TOKEN = "42:emulator-self-test-token-000000";

describe("Telegram Bot API emulator", () => {
  let telegram: TelegramEmulator;
  const call = async (method: string, params: Record<string, unknown> = {}) => {
    const res = await fetch(`${telegram.apiRoot}/bot${TOKEN}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    // What is tested here is the emulator itself: its answers, not its timing or its limits.
    telegram = await TelegramEmulator.start(TOKEN, { latency: false, limits: false });
  });
  afterAll(async () => telegram.stop());

  it("rejects a wrong token like Telegram", async () => {
    const res = await fetch(`${telegram.apiRoot}/bot1:wrong/getMe`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
  });

  it("long-polls: getUpdates waits until an update arrives", async () => {
    const polling = call("getUpdates", { offset: 0, timeout: 5 });
    await new Promise((r) => setTimeout(r, 100));
    telegram.user(7).send("/start");
    const { body } = await polling;
    const result = body.result as Array<{ update_id: number; message: { text: string } }>;
    expect(result[0]?.message.text).toBe("/start");
    const next = await call("getUpdates", { offset: (result[0]?.update_id ?? 0) + 1, timeout: 0 });
    expect(next.body.result).toEqual([]);
  });

  it("records messages per chat and rejects broken HTML and over-long text", async () => {
    expect(
      (await call("sendMessage", { chat_id: 8, text: "<b>ok</b> &amp;", parse_mode: "HTML" })).status,
    ).toBe(200);
    const broken = await call("sendMessage", { chat_id: 8, text: "<b>open", parse_mode: "HTML" });
    expect(broken.status).toBe(400);
    expect(String(broken.body.description)).toContain("can't parse entities");
    expect((await call("sendMessage", { chat_id: 8, text: "x".repeat(4097) })).status).toBe(400);
    expect(telegram.messagesTo(8).map((m) => m.text)).toEqual(["<b>ok</b> &amp;"]);
  });

  it("enforces the per-chat and global limits with 429 and retry_after", async () => {
    telegram.enforceLimits(TELEGRAM_LIMITS);
    try {
      const perChat = [];
      for (let i = 0; i < 5; i++) perChat.push(await call("sendMessage", { chat_id: 9, text: `m${i}` }));
      expect(perChat.slice(0, 3).every((r) => r.status === 200)).toBe(true);
      const limited = perChat[3];
      expect(limited?.status).toBe(429);
      expect(
        (limited?.body.parameters as { retry_after: number } | undefined)?.retry_after,
      ).toBeGreaterThanOrEqual(1);

      const started = performance.now();
      const burst = await Promise.all(
        Array.from({ length: 90 }, (_, i) => call("sendMessage", { chat_id: 1000 + i, text: "hi" })),
      );
      const elapsedSeconds = (performance.now() - started) / 1000;
      const ok = burst.filter((r) => r.status === 200).length;
      // A full bucket of 30, plus what refills while the burst is being answered.
      expect(ok).toBeGreaterThanOrEqual(25);
      expect(ok).toBeLessThanOrEqual(30 + Math.ceil(elapsedSeconds * 30));
      expect(burst.filter((r) => r.status === 429).length).toBe(90 - ok);
    } finally {
      telegram.enforceLimits(false);
    }
  });

  it("injects faults on demand", async () => {
    telegram.injectFault("blocked", { chatId: 11 });
    expect((await call("sendMessage", { chat_id: 11, text: "a" })).body.description).toBe(
      "Forbidden: bot was blocked by the user",
    );
    expect((await call("sendMessage", { chat_id: 11, text: "a" })).status).toBe(200);

    telegram.injectFault("migrate", { chatId: -12, value: -10012 });
    const migrated = await call("sendMessage", { chat_id: -12, text: "a" });
    expect(migrated.body.parameters).toEqual({ migrate_to_chat_id: -10012 });

    telegram.injectFault("server-error", { count: 2 });
    expect((await call("sendMessage", { chat_id: 13, text: "a" })).status).toBe(502);
    expect((await call("sendMessage", { chat_id: 13, text: "a" })).status).toBe(502);
    expect((await call("sendMessage", { chat_id: 13, text: "a" })).status).toBe(200);

    telegram.forgetChat(14);
    expect((await call("sendMessage", { chat_id: 14, text: "a" })).body.description).toBe(
      "Bad Request: chat not found",
    );
  });

  it("counts every message of a large fan-out without keeping their bodies", async () => {
    telegram.recordMessages = false;
    const n = 3000;
    for (let batch = 0; batch < n; batch += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          call("sendMessage", { chat_id: 50_000 + batch + i, text: "x" }),
        ),
      );
    }
    telegram.recordMessages = true;
    expect(telegram.countTo(50_000)).toBe(1);
    expect(telegram.countTo(50_000 + n - 1)).toBe(1);
    expect(telegram.messagesTo(50_000)).toEqual([]);
  });
});
