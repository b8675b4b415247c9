import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES, type Language } from "../../src/i18n/languages.js";
import { createLogger } from "../../src/logger.js";
import { applyPollOutcome, RedisFeedHealthStore } from "../../src/news/feedHealth.js";
import { FeedOverrideStore } from "../../src/news/feedOverrides.js";
import { TOPIC_IDS } from "../../src/news/topicIds.js";
import { redisKeys } from "../../src/storage/keys.js";
import { SubscriptionStore } from "../../src/storage/subscriptions.js";
import { BotHarness } from "../support/botHarness.js";
import type { SentMessage, TestUser } from "../support/telegramEmulator.js";

/**
 * The admin tools end to end: the real bot process (ADMIN_IDS set) against the emulator and
 * Redis. 2,000 subscribers are written straight into Redis; 5% of them have blocked the bot.
 */

const ADMIN = 900_001;
const STRANGER = 700_001;
const FIRST_CHAT = 100_000;
const CHATS = 2000;
const chatIds = Array.from({ length: CHATS }, (_, i) => FIRST_CHAT + i);
const isBlocked = (chatId: number) => (chatId - FIRST_CHAT) % 20 === 7;
const languageOf = (chatId: number): Language =>
  LANGUAGES[(chatId - FIRST_CHAT) % LANGUAGES.length] as Language;
const reachable = chatIds.filter((c) => !isBlocked(c));
const logger = createLogger({ level: "silent" });

describe("admin tools", () => {
  let h: BotHarness;
  let admin: TestUser;
  let keys: ReturnType<typeof redisKeys>;
  let sourceSeq = 50_000;

  beforeAll(async () => {
    h = await BotHarness.start(
      // Above 30 a second only with paid broadcasts; Send then picks the paid option (the first).
      { ADMIN_IDS: String(ADMIN), PAID_BROADCAST: "true", SEND_RATE_LIMIT: "500", POLL_CRON: "0 0 1 1 *" },
      {
        feeds: [
          { id: "gazeta-ru", url: "http://127.0.0.1:9/rss", outlet: "Gazeta" },
          { id: "kun-uz", url: "http://127.0.0.1:9/kun", outlet: "Kun.uz", language: "uz-Latn" },
        ],
      },
    );
    keys = redisKeys(h.redis.prefix);
    const subscriptions = new SubscriptionStore(h.redis.client, keys, logger);
    await Promise.all(
      chatIds.map((chatId, i) =>
        subscriptions.subscribe(chatId, {
          kind: "private",
          language: languageOf(chatId),
          topics: [TOPIC_IDS[i % 3] ?? "trade"],
          rates: i % 2 === 0,
        }),
      ),
    );
    for (const chatId of chatIds) if (isBlocked(chatId)) h.telegram.block(chatId);
    admin = h.telegram.user(ADMIN, { languageCode: "en" });
  }, 60_000);
  afterAll(async () => h?.close());

  async function press(user: TestUser, label: string | RegExp, message: SentMessage) {
    return user.waitForAnswer(user.press(label, message));
  }
  const waitForText = (message: SentMessage, pattern: RegExp, timeoutMs = 10_000) =>
    h.telegram.waitFor(() => pattern.test(message.text ?? ""), timeoutMs, `message text ${pattern}`);
  /** Copies of the admin's message `sourceId` that reached `chatId`. */
  const copiesTo = (chatId: number, sourceId: number) =>
    h.telegram.messagesTo(chatId).filter((m) => m.text === `[copyMessage ${sourceId}]`).length;
  const delivered = (sourceId: number) => reachable.reduce((n, c) => n + copiesTo(c, sourceId), 0);

  /** /broadcast up to the confirmation: returns the dialogue message and the preview. */
  async function prepareBroadcast(audience: (menu: SentMessage) => Promise<void>) {
    const ask = await admin.ask("/broadcast");
    expect(ask.text).toContain("New broadcast");
    const sourceId = ++sourceSeq;
    const before = admin.messages().length;
    // The announcement, with formatting (Telegram sends it as entities).
    h.telegram.pushUpdate({
      message: {
        message_id: sourceId,
        from: admin.user,
        chat: admin.chat,
        date: Math.floor(Date.now() / 1000),
        text: "Forum in Tashkent on 12 May",
        entities: [{ type: "bold", offset: 0, length: 5 }],
      },
    });
    const preview = await admin.waitForMessage({ after: before });
    const menu = await admin.waitForMessage({ after: before + 1 });
    expect(menu.text).toContain("exactly what recipients will get");
    await audience(menu);
    return { sourceId, preview, menu };
  }

  it("does not exist for anyone but admins: unknown command, no admin menu", async () => {
    const stranger = h.telegram.user(STRANGER, { languageCode: "en" });
    for (const command of ["/broadcast", "/broadcast_cancel", "/stats", "/feeds", "/audit"]) {
      const answer = await stranger.ask(command);
      expect(answer.text).toBe(`I don't know the command ${command}. Send /help to see what I can do.`);
    }
    expect(h.telegram.commands.get(`chat:${STRANGER}|en`)).toBeUndefined();
    expect(h.telegram.commands.get("default|en")?.map((c) => c.command)).not.toContain("broadcast");
    for (const language of LANGUAGES) {
      const menu = h.telegram.commands.get(`chat:${ADMIN}|${language}`)?.map((c) => c.command);
      expect(menu).toEqual(
        expect.arrayContaining(["subscribe", "broadcast", "broadcast_cancel", "stats", "feeds", "audit"]),
      );
    }
  });

  it("broadcasts to 2,000 chats through the delivery engine: once each, blocked ones deactivated, live progress", async () => {
    const { sourceId, preview, menu } = await prepareBroadcast(async (m) => {
      await press(admin, /Everyone/, m);
      await waitForText(m, /Chats:<\/b> 2,000/);
    });
    // Telegram slows us down five times during the run.
    h.telegram.injectFault("too-many-requests", { method: "copyMessage", count: 5, value: 1 });
    const before429 = h.telegram.tooManyRequests;
    const started = performance.now();
    await press(admin, /Send/, menu);
    await waitForText(menu, /finished/, 90_000);
    const seconds = (performance.now() - started) / 1000;

    for (const chatId of reachable) expect(copiesTo(chatId, sourceId), `chat ${chatId}`).toBe(1);
    for (const chatId of chatIds.filter(isBlocked)) {
      expect(h.telegram.countTo(chatId)).toBe(0);
      expect(await h.redis.client.hget(keys.profile(chatId), "s")).toBe("blocked");
    }
    // The preview is the same copy call of the same message: what recipients got, exactly.
    expect(preview.method).toBe("copyMessage");
    expect(preview.text).toBe(`[copyMessage ${sourceId}]`);
    const copies = h.telegram.callsOf("copyMessage").filter((c) => Number(c.params.message_id) === sourceId);
    expect(new Set(copies.map((c) => `${c.params.from_chat_id}/${c.params.message_id}`))).toEqual(
      new Set([`${ADMIN}/${sourceId}`]),
    );

    expect(menu.text).toContain("Sent: 1,900");
    expect(menu.text).toContain("Blocked or gone: 100");
    expect(menu.text).toContain("Remaining: 0");
    // One message edited as it went, not one per recipient.
    expect(menu.history.filter((t) => /sending/.test(t)).length).toBeGreaterThanOrEqual(1);
    expect(menu.history.length).toBeLessThan(20);
    console.info(
      `broadcast of ${CHATS}: ${seconds.toFixed(1)} s, ${(CHATS / seconds).toFixed(0)} msg/s, ${h.telegram.tooManyRequests - before429} 429s absorbed`,
    );
  }, 60_000);

  it("resumes after the process is killed mid-broadcast, and no chat gets it twice", async () => {
    const { sourceId, menu } = await prepareBroadcast(async (m) => {
      await press(admin, /Everyone/, m);
      await waitForText(m, /Chats:<\/b> 1,900/);
    });
    await press(admin, /Send/, menu);
    await h.telegram.waitFor(() => delivered(sourceId) >= 500, 20_000, "500 copies");
    // Telegram refuses everything from now on (429, retry after 3 s): the queue pauses, and once
    // every answer is back and recorded, no send is in flight that a kill could leave sent but
    // unrecorded. A job the killed worker still held (one waiting for its slot) is taken over
    // only when its BullMQ lock (30 s) has expired and the next stalled check (every 30 s) finds
    // it, so "finished" may take up to about a minute; deliveryCrash.test.ts covers a kill with
    // sends in flight (duplicates at most those).
    h.telegram.injectFault("too-many-requests", { method: "copyMessage", count: 1_000_000, value: 3 });
    await h.telegram.waitFor(
      () => h.telegram.awaitingAnswer("copyMessage") === 0,
      15_000,
      "every answer back",
    );
    await new Promise((r) => setTimeout(r, 300));
    const atKill = delivered(sourceId);
    expect(atKill).toBeLessThan(1900);
    await h.restart("kill");
    h.telegram.clearFaults();
    await waitForText(menu, /finished/, 90_000);
    for (const chatId of reachable) expect(copiesTo(chatId, sourceId), `chat ${chatId}`).toBe(1);
    expect(menu.text).toContain("Remaining: 0");
  }, 120_000);

  it("/broadcast_cancel stops a broadcast: nothing more arrives", async () => {
    const { sourceId, menu } = await prepareBroadcast(async (m) => {
      await press(admin, /By language/, m);
      await waitForText(m, /Choose the languages/);
      await press(admin, /Русский/, m);
      await h.telegram.waitFor(() =>
        m.reply_markup?.inline_keyboard?.flat().some((b) => b.text === "✓ Русский"),
      );
      await press(admin, /Done/, m);
      await waitForText(m, /Chats:<\/b> \d+/);
    });
    const ru = reachable.filter((c) => languageOf(c) === "ru");
    expect(menu.text).toContain(`Chats:</b> ${ru.length}`);
    // Slow sends, so there is time to cancel half-way.
    h.telegram.injectFault("slow", { method: "copyMessage", count: 5000, value: 500 });
    await press(admin, /Send/, menu);
    await h.telegram.waitFor(() => delivered(sourceId) >= 40, 20_000, "40 copies");
    const reply = await admin.ask("/broadcast_cancel");
    expect(reply.text).toMatch(/Broadcast #\d+ cancelled/);
    await waitForText(menu, /cancelled/);
    await new Promise((r) => setTimeout(r, 1500)); // sends already in flight finish
    const settled = delivered(sourceId);
    await new Promise((r) => setTimeout(r, 2000));
    expect(delivered(sourceId)).toBe(settled);
    expect(settled).toBeLessThan(ru.length);
    for (const chatId of ru) expect(copiesTo(chatId, sourceId)).toBeLessThanOrEqual(1);
    expect((await admin.ask("/broadcast_cancel")).text).toBe("No broadcast is running.");
  }, 60_000);

  it("/stats answers with subscribers by status, language and topic, stories, deliveries and the queue", async () => {
    const now = Date.now();
    await h.redis.client.zadd(
      keys.storyTimeline,
      now - 1000,
      "s-today-1",
      now - 2000,
      "s-today-2",
      now - 3 * 86_400_000,
      "s-older",
    );
    const stats = await admin.ask("/stats");
    const text = stats.text ?? "";
    expect(text).toContain("<b>Subscribers:</b> 2,000");
    expect(text).toContain("active 1,900 · paused 0 · blocked 100 · gone 0");
    const ruActive = reachable.filter((c) => languageOf(c) === "ru").length;
    expect(text).toContain(`Русский: ${ruActive.toLocaleString("en-US")}`);
    const rates = reachable.filter((c) => (c - FIRST_CHAT) % 2 === 0).length;
    expect(text).toContain(`Daily rates: ${rates.toLocaleString("en-US")}`);
    const trade = reachable.filter((c) => (c - FIRST_CHAT) % 3 === TOPIC_IDS.indexOf("trade")).length;
    expect(text).toContain(`Trade: ${trade.toLocaleString("en-US")}`);
    expect(text).toContain("today 2 · 7 days 3");
    const sent = Number(/sent ([\d,]+)/.exec(text)?.[1]?.replace(/,/g, ""));
    expect(sent).toBeGreaterThanOrEqual(2 * 1900);
    expect(text).toMatch(/dead letters 0/);
  });

  it("/feeds shows health and pauses, adds and removes feeds at run time", async () => {
    const health = new RedisFeedHealthStore(h.redis.client, keys, logger);
    const now = new Date();
    await health.save("gazeta-ru", applyPollOutcome(undefined, { kind: "ok", newItems: 4 }, now));
    await health.save(
      "kun-uz",
      applyPollOutcome(
        undefined,
        { kind: "failed", reason: "HTTP 503 Service Unavailable", retryable: true },
        now,
      ),
    );
    const list = await admin.ask("/feeds");
    expect(list.text).toContain("<b>Feeds</b>: 2, 2 polled");
    expect(list.text).toMatch(
      /✅ <b>gazeta-ru<\/b> \(Gazeta, ru\): OK\n\s+last success \d{4}-\d\d-\d\d \d\d:\d\d · items today 4/,
    );
    expect(list.text).toMatch(/⏳ <b>kun-uz<\/b> .*backing off until/);
    expect(list.text).toContain("last error");
    expect(list.text).toContain("HTTP 503 Service Unavailable");

    expect((await admin.ask("/feeds pause gazeta-ru")).text).toContain("paused");
    expect((await admin.ask("/feeds pause gazeta-ru")).text).toContain("is paused already");
    expect((await admin.ask("/feeds add new-feed https://example.com/rss en Example News")).text).toContain(
      "added",
    );
    expect((await admin.ask("/feeds add bad id")).text).toContain("not valid");
    expect((await admin.ask("/feeds remove kun-uz")).text).toContain("removed");
    expect((await admin.ask("/feeds remove nope")).text).toContain("There is no feed");
    const after = await admin.ask("/feeds");
    expect(after.text).toContain("<b>Feeds</b>: 2, 1 polled");
    expect(after.text).toContain("⏸ <b>gazeta-ru</b>");
    expect(after.text).toContain("🆕 <b>new-feed</b> (Example News, en) · added by an admin");

    // What the next poll cycle fetches: the file's feeds with these changes.
    const file = [
      {
        id: "gazeta-ru",
        url: "http://127.0.0.1:9/rss",
        outlet: "Gazeta",
        language: "ru" as const,
        defaultTopics: [],
      },
      {
        id: "kun-uz",
        url: "http://127.0.0.1:9/kun",
        outlet: "Kun.uz",
        language: "uz-Latn" as const,
        defaultTopics: [],
      },
    ];
    const effective = await new FeedOverrideStore(h.redis.client, keys, logger, file).effective();
    expect(effective.map((f) => f.id)).toEqual(["new-feed"]);
  });

  it("/audit lists the admin actions", async () => {
    const audit = await admin.ask("/audit");
    const text = audit.text ?? "";
    expect(text).toContain("Last admin actions");
    for (const action of [
      "broadcast",
      "broadcast-cancel",
      "stats",
      "feeds",
      "feeds-pause",
      "feeds-add",
      "feeds-remove",
    ]) {
      expect(text).toContain(`<b>${action}</b>`);
    }
    expect(text).toContain(`<code>${ADMIN}</code>`);
    expect(text).toContain("1,900 chats");
  });
});
