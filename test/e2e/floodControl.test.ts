import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCALES_DIR } from "../../src/i18n/translator.js";
import { BotHarness } from "../support/botHarness.js";
import { freePort } from "../support/redis.js";

const ADMIN_ID = 6900;
const BURST = 5;
const CALLBACK_BURST = 3;
const WINDOW_MS = 4000;
/** Of updates sent all at once: the first (nothing was pending yet) and BURST queued behind it. */
const ANSWERED = BURST + 1;

/** A message of a locale file, read as the bot reads it (single-line messages only). */
function localeMessage(language: string, key: string): string {
  const line = readFileSync(`${LOCALES_DIR}/${language}.ftl`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${key} = `));
  if (!line) throw new Error(`${key} missing in ${language}.ftl`);
  return line.slice(key.length + 3);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Flood control through the real bot: a chat that keeps sending before its answers arrive gets
 * at most FLOOD_BURST of those answered (and the first) and one notice in its own language; the
 * rest costs no sends, no once-only claims and no chart renders. A person who waits for each
 * answer is never limited.
 */
describe("flood control", () => {
  let h: BotHarness;
  let metricsUrl: string;
  const metric = async (name: string, labels = ""): Promise<number> => {
    const text = await (await fetch(metricsUrl)).text();
    const escaped = `${name}${labels}`.replace(/[{}"=]/g, (c) => `\\${c}`);
    return Number(new RegExp(`^${escaped} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
  };
  const onceOnlyClaims = async () => (await h.redis.client.keys(`${h.redis.prefix}:upd:*`)).length;

  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    h = await BotHarness.start({
      HTTP_PORT: String(port),
      ADMIN_IDS: String(ADMIN_ID),
      FLOOD_BURST: String(BURST),
      FLOOD_CALLBACK_BURST: String(CALLBACK_BURST),
      FLOOD_WINDOW_MS: String(WINDOW_MS),
    });
    for (let i = 0; i < 100 && (await h.redis.client.zcard(`${h.redis.prefix}:rates:dates`)) < 30; i++) {
      await sleep(200);
    }
  });
  afterAll(async () => h?.close());

  it("answers a user who repeats one command once, tells them once in their language, then costs nothing", async () => {
    const flooder = h.telegram.user(6001, { languageCode: "uz" });
    const claimsBefore = await onceOnlyClaims();
    const rendersBefore = await metric("kzuz_chart_renders_total");
    for (let i = 0; i < 30; i++) flooder.send("/rates");
    await h.telegram.waitFor(() => flooder.messages().length >= 2, 15_000, "the answer and the notice");
    // Anything more would come within this quiet time.
    await sleep(1500);

    const messages = flooder.messages();
    const notices = messages.filter((m) => m.text === localeMessage("uz", "flood-notice"));
    const answers = messages.filter((m) => m.method === "sendPhoto");
    expect(notices).toHaveLength(1);
    // The repeats sent while the first was being answered are served by that one answer.
    expect(answers).toHaveLength(1);
    expect(messages).toHaveLength(2);
    // Repeats and suppressed updates never reached the once-only claim (one SET each) nor the chart.
    expect((await onceOnlyClaims()) - claimsBefore).toBe(1);
    expect(await metric("kzuz_updates_suppressed_total", '{kind="repeat"}')).toBe(BURST);
    expect(await metric("kzuz_updates_suppressed_total", '{kind="message"}')).toBe(30 - 1 - BURST);
    expect((await metric("kzuz_chart_renders_total")) - rendersBefore).toBeLessThanOrEqual(1);
  });

  it("never limits a person who waits for each answer, however quickly they go on", async () => {
    const person = h.telegram.user(6010, { languageCode: "en" });
    for (let i = 0; i < BURST * 3; i++) {
      const answer = await person.ask(i % 2 ? "/latest" : "/help");
      expect(answer.text).not.toBe(localeMessage("en", "flood-notice"));
    }
  });

  it("answers the same user again once the window has passed", async () => {
    const flooder = h.telegram.user(6001, { languageCode: "uz" });
    await sleep(WINDOW_MS);
    const reply = await flooder.ask("/rates");
    expect(reply.method).toBe("sendPhoto");
  });

  it("does not limit admins", async () => {
    const admin = h.telegram.user(ADMIN_ID, { languageCode: "en" });
    const count = BURST + 3;
    for (let i = 0; i < count; i++) admin.send("/latest");
    await h.telegram.waitFor(() => admin.messages().length >= count, 15_000, "every admin answer");
    expect(admin.messages().every((m) => m.text !== localeMessage("en", "flood-notice"))).toBe(true);
  });

  it("answers forged button presses a few times, the notice once as a toast, then not at all", async () => {
    const presser = h.telegram.user(6002, { languageCode: "kk" });
    await presser.ask("/start");
    const start = presser.lastMessage();
    const ids = Array.from({ length: 12 }, () => presser.pressData("forged:1", start));
    await h.telegram.waitFor(() => h.telegram.callbackAnswers.size > 0, 10_000, "the first answer");
    await sleep(1500);
    const answers = ids.map((id) => h.telegram.callbackAnswers.get(id)?.text);
    expect(answers.filter((t) => t === localeMessage("kk", "button-expired"))).toHaveLength(
      CALLBACK_BURST + 1,
    );
    expect(answers.filter((t) => t === localeMessage("kk", "flood-notice"))).toHaveLength(1);
    expect(answers.filter((t) => t === undefined)).toHaveLength(12 - CALLBACK_BURST - 2);
    // Toasts only: no message went to the chat for any press.
    expect(presser.messages()).toHaveLength(1);
    expect(await metric("kzuz_updates_suppressed_total", '{kind="callback"}')).toBe(12 - CALLBACK_BURST - 1);
  });

  it("never tells a group to slow down for chatter that is not a command for the bot", async () => {
    const group = h.telegram.group(-6200, { adminIds: [6006] });
    const member = h.telegram.user(6006, { languageCode: "ru" });
    for (let i = 0; i < 12; i++) member.send(i % 2 ? "привет всем" : "/weather@another_bot", group);
    const answer = await member.ask("/latest@kzuz_news_bot", group);
    expect(answer.text).not.toBe(localeMessage("ru", "flood-notice"));
    expect(h.telegram.messagesTo(group.id)).toHaveLength(1);
  });

  it("limits a group as one chat, whoever in it sends", async () => {
    const group = h.telegram.group(-6100, { adminIds: [6003] });
    const members = [6003, 6004, 6005].map((id) => h.telegram.user(id, { languageCode: "ru" }));
    // Commands with arguments, so that none is served by another's answer.
    for (let i = 0; i < 12; i++) members[i % members.length]?.send(`/latest@kzuz_news_bot ${i}`, group);
    await h.telegram.waitFor(
      // A group's answers are paced at 20 a minute, so these seven take about twelve seconds.
      () => h.telegram.messagesTo(group.id).length >= ANSWERED + 1,
      30_000,
      "group answers",
    );
    await sleep(1500);
    const messages = h.telegram.messagesTo(group.id);
    expect(messages).toHaveLength(ANSWERED + 1);
    expect(messages.filter((m) => m.text === localeMessage("ru", "flood-notice"))).toHaveLength(1);
  }, 45_000);

  it("answers a group once for the same command sent by several members at once", async () => {
    const group = h.telegram.group(-6300, { adminIds: [6007] });
    const members = [6007, 6008].map((id) => h.telegram.user(id, { languageCode: "en" }));
    for (let i = 0; i < 4; i++) members[i % members.length]?.send("/latest@kzuz_news_bot", group);
    await h.telegram.waitFor(() => h.telegram.messagesTo(group.id).length >= 1, 15_000, "the answer");
    await sleep(1500);
    const messages = h.telegram.messagesTo(group.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).not.toBe(localeMessage("en", "flood-notice"));
  });
});
