import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BALANCE_TOO_LOW, FREE_SENDS_PER_SECOND, TelegramEmulator } from "../../support/telegramEmulator.js";

/** The emulator's Stars balance: what paid broadcasts cost and when Telegram refuses them. */
const TOKEN = "45:emulator-stars-test-token-00000";

describe("Telegram emulator: Stars for paid broadcasts", () => {
  let telegram: TelegramEmulator;
  const send = async (chatId: number, paid: boolean) => {
    const res = await fetch(`${telegram.apiRoot}/bot${TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: chatId, text: "m", ...(paid ? { allow_paid_broadcast: true } : {}) }),
    });
    return (await res.json()) as { ok: boolean; error_code?: number; description?: string };
  };
  beforeEach(async () => {
    // What is tested here is the emulator itself: its answers, not its timing or its limits.
    telegram = await TelegramEmulator.start(TOKEN, { latency: false, limits: false });
  });
  afterEach(async () => telegram.stop());

  it("bills 0.1 Star per paid message over the free 30 a second, and nothing for unpaid ones", async () => {
    telegram.setStarsBalance(100);
    for (let chat = 1; chat <= 20; chat++) expect((await send(chat, false)).ok).toBe(true);
    // 20 unpaid already this second: 10 more paid ones are still within the free 30.
    for (let chat = 21; chat <= 30; chat++) expect((await send(chat, true)).ok).toBe(true);
    expect(telegram.starsAccount?.billed).toBe(0);
    for (let chat = 31; chat <= 55; chat++) expect((await send(chat, true)).ok).toBe(true);
    expect(FREE_SENDS_PER_SECOND).toBe(30);
    expect(telegram.starsAccount?.billed).toBe(25);
    expect(telegram.starsAccount?.balance).toBeCloseTo(97.5, 5);
  });

  it("refuses a billed paid message the balance cannot pay for with BALANCE_TOO_LOW, and nothing else", async () => {
    telegram.setStarsBalance(0.2);
    for (let chat = 1; chat <= 30; chat++) await send(chat, false);
    expect((await send(31, true)).ok).toBe(true);
    expect((await send(32, true)).ok).toBe(true);
    const refused = await send(33, true);
    expect(refused).toMatchObject({ ok: false, error_code: 400, description: BALANCE_TOO_LOW });
    expect(telegram.countTo(33)).toBe(0);
    expect(telegram.starsAccount).toMatchObject({ billed: 2, refused: 1, balance: 0 });
    // An unpaid message is never refused for want of Stars.
    expect((await send(34, false)).ok).toBe(true);
  });

  it("has no balance unless given one: paid messages cost nothing and are never refused", async () => {
    for (let chat = 1; chat <= 50; chat++) expect((await send(chat, true)).ok).toBe(true);
    expect(telegram.starsAccount).toBeUndefined();
  });
});
