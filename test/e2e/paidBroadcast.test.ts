import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { redisKeys } from "../../src/storage/keys.js";
import { SubscriptionStore } from "../../src/storage/subscriptions.js";
import { BotHarness } from "../support/botHarness.js";
import {
  BALANCE_TOO_LOW,
  type SentMessage,
  TELEGRAM_LIMITS,
  type TestUser,
} from "../support/telegramEmulator.js";

/**
 * Paid broadcasts end to end: the real bot process with PAID_BROADCAST=true, SEND_RATE_LIMIT 300
 * and FREE_SEND_RATE_LIMIT 25, against the emulator with Telegram's limits on (30/s free,
 * 1,000/s with allow_paid_broadcast) and a Stars balance the paid messages draw on.
 */

const ADMIN = 900_101;
const logger = createLogger({ level: "silent" });

describe("paid broadcasts", () => {
  let h: BotHarness;
  let admin: TestUser;
  let subscriptions: SubscriptionStore;
  let sourceSeq = 60_000;

  beforeAll(async () => {
    h = await BotHarness.start({
      ADMIN_IDS: String(ADMIN),
      PAID_BROADCAST: "true",
      SEND_RATE_LIMIT: "300",
      FREE_SEND_RATE_LIMIT: "25",
      POLL_CRON: "0 0 1 1 *",
    });
    h.telegram.enforceLimits(TELEGRAM_LIMITS);
    subscriptions = new SubscriptionStore(h.redis.client, redisKeys(h.redis.prefix), logger);
    admin = h.telegram.user(ADMIN, { languageCode: "en" });
  }, 60_000);
  afterAll(async () => h?.close());

  /** Subscribes `count` chats from `first`, reading `language`, on the trade topic. */
  async function subscribe(first: number, count: number, language: "en" | "ru" | "kk"): Promise<number[]> {
    const ids = Array.from({ length: count }, (_, i) => first + i);
    await Promise.all(
      ids.map((chatId) =>
        subscriptions.subscribe(chatId, { kind: "private", language, topics: ["trade"], rates: false }),
      ),
    );
    return ids;
  }

  const waitForText = (message: SentMessage, pattern: RegExp, timeoutMs = 10_000) =>
    h.telegram.waitFor(() => pattern.test(message.text ?? ""), timeoutMs, `message text ${pattern}`);
  const copiesTo = (chatId: number, sourceId: number) =>
    h.telegram.messagesTo(chatId).filter((m) => m.text === `[copyMessage ${sourceId}]`).length;
  const copyCalls = (sourceId: number) =>
    h.telegram
      .callsOf("copyMessage")
      .filter((c) => Number(c.params.message_id) === sourceId && c.status === 200);

  /** /broadcast to everyone (or the readers of one language), up to the confirmation with its free/paid choice. */
  async function confirmation(chats: number, audience: "all" | "ru" | "kk" = "all") {
    const ask = await admin.ask("/broadcast");
    expect(ask.text).toContain("New broadcast");
    const sourceId = ++sourceSeq;
    const before = admin.messages().length;
    h.telegram.pushUpdate({
      message: {
        message_id: sourceId,
        from: admin.user,
        chat: admin.chat,
        date: Math.floor(Date.now() / 1000),
        text: "Trade fair in Shymkent",
      },
    });
    await admin.waitForMessage({ after: before });
    const menu = await admin.waitForMessage({ after: before + 1 });
    if (audience === "all") await admin.waitForAnswer(admin.press(/Everyone/, menu));
    else {
      await admin.waitForAnswer(admin.press(/By language/, menu));
      await waitForText(menu, /Choose the languages/);
      const name = audience === "ru" ? "Русский" : "Қазақша";
      await admin.waitForAnswer(admin.press(name, menu));
      await h.telegram.waitFor(() =>
        menu.reply_markup?.inline_keyboard?.flat().some((b) => b.text === `✓ ${name}`),
      );
      await admin.waitForAnswer(admin.press(/Done/, menu));
    }
    await waitForText(menu, new RegExp(`Chats:</b> ${chats.toLocaleString("en")}`)).catch((err) => {
      throw new Error(`${(err as Error).message}; the menu says: ${menu.text}`);
    });
    return { sourceId, menu };
  }

  it("shows both options with time and the most Stars, then sends paid above the free rate: once each, no 429", async () => {
    const ids = await subscribe(1_000_000, 1200, "en");
    h.telegram.setStarsBalance(1000);
    const limitedBefore = h.telegram.tooManyRequests;
    const { sourceId, menu } = await confirmation(1200);
    // 1,200 at 300/s: 4 s, 100 of them in free slots at 25/s, 1,100 flagged: at most 110 Stars.
    expect(menu.text).toContain("Free: about 0:48 at 25 msg/s");
    expect(menu.text).toContain("Paid: about 0:04 at 300 msg/s, at most 110 ⭐");
    const labels = menu.reply_markup?.inline_keyboard?.flat().map((b) => b.text);
    expect(labels?.slice(0, 2)).toEqual(["⭐ Send paid", "📣 Send free"]);

    const started = performance.now();
    await admin.waitForAnswer(admin.press(/Send paid/, menu));
    await waitForText(menu, /finished/, 30_000);
    const seconds = (performance.now() - started) / 1000;

    for (const chatId of ids) expect(copiesTo(chatId, sourceId), `chat ${chatId}`).toBe(1);
    expect(h.telegram.tooManyRequests - limitedBefore).toBe(0);
    const calls = copyCalls(sourceId);
    const flagged = calls.filter((c) => c.params.allow_paid_broadcast === true).length;
    // Paid above the free rate: most flagged, some in the free slots, and far faster than 25/s.
    expect(flagged).toBeGreaterThan(1000);
    expect(flagged).toBeLessThan(1200);
    expect(seconds).toBeLessThan(20);
    // Telegram bills flagged messages over 30/s only: never more than were flagged.
    const stars = h.telegram.starsAccount;
    expect(stars?.billed).toBeLessThanOrEqual(flagged);
    expect(stars?.balance).toBeCloseTo(1000 - (stars?.billed ?? 0) / 10, 5);
    // The unpaid ones never went above Telegram's free limit in any second at the server.
    expect(h.telegram.arrivals.maxInWindow("free")).toBeLessThanOrEqual(30);
    expect(menu.text).toContain("Sent: 1,200");
    expect(menu.text).toContain(`⭐ Paid: ${flagged.toLocaleString("en")} messages above the free rate`);
    expect(menu.text).not.toContain("Stars balance is too low");
  }, 60_000);

  it("when the Stars run out, Telegram's refusal is reported and the rest goes unpaid: nothing lost", async () => {
    const ids = await subscribe(2_000_000, 300, "ru");
    // Room for 20 billed messages; the remaining ~250 then go at the free 25/s (~10 s).
    h.telegram.setStarsBalance(2);
    const limitedBefore = h.telegram.tooManyRequests;
    const { sourceId, menu } = await confirmation(300, "ru");
    await admin.waitForAnswer(admin.press(/Send paid/, menu));
    await waitForText(menu, /finished/, 60_000);

    for (const chatId of ids) expect(copiesTo(chatId, sourceId), `chat ${chatId}`).toBe(1);
    expect(h.telegram.tooManyRequests - limitedBefore).toBe(0);
    const stars = h.telegram.starsAccount;
    expect(stars?.billed).toBe(20);
    expect(stars?.refused).toBeGreaterThan(0);
    const refused = h.telegram
      .callsOf("copyMessage")
      .filter((c) => Number(c.params.message_id) === sourceId && c.status === 400);
    expect(refused.length).toBe(stars?.refused);
    expect(menu.text).toContain("Sent: 300");
    expect(menu.text).toContain("Remaining: 0");
    expect(menu.text).toMatch(/Telegram refused [\d,]+ paid messages: the bot's Stars balance is too low/);
    // After the refusal the rest kept to the free rate.
    expect(h.telegram.arrivals.maxInWindow("free")).toBeLessThanOrEqual(30);
    expect(BALANCE_TOO_LOW).toBe("Bad Request: BALANCE_TOO_LOW");
  }, 90_000);

  it("a free broadcast in paid mode never carries allow_paid_broadcast, keeps to the free rate, and reports 429s", async () => {
    const ids = await subscribe(3_000_000, 75, "kk");
    const billedBefore = h.telegram.starsAccount?.billed ?? 0;
    const { sourceId, menu } = await confirmation(75, "kk");
    // Telegram says 429 twice: both messages wait out retry_after and go; the summary says so.
    h.telegram.injectFault("too-many-requests", { method: "copyMessage", count: 2, value: 1 });
    const started = performance.now();
    await admin.waitForAnswer(admin.press(/Send free/, menu));
    await waitForText(menu, /finished/, 30_000);
    const seconds = (performance.now() - started) / 1000;
    for (const chatId of ids) expect(copiesTo(chatId, sourceId), `chat ${chatId}`).toBe(1);
    expect(copyCalls(sourceId).some((c) => c.params.allow_paid_broadcast !== undefined)).toBe(false);
    expect(h.telegram.starsAccount?.billed ?? 0).toBe(billedBefore);
    // 75 at FREE_SEND_RATE_LIMIT 25: about 3 s, not the 0.25 s of SEND_RATE_LIMIT 300.
    expect(seconds).toBeGreaterThan(2.5);
    expect(menu.text).not.toContain("⭐ Paid");
    expect(menu.text).toContain("429 answers from Telegram: 2");
  }, 60_000);
});
