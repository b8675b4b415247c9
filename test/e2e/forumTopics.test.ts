import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORIES, storyFeed } from "../support/bilateralStories.js";
import { BotHarness } from "../support/botHarness.js";
import { FeedServer } from "../support/feedServer.js";
import type { SentMessage, TestUser } from "../support/telegramEmulator.js";

const ENERGY = STORIES.energy;
const CULTURE = STORIES.culture;
const ENERGY_LATER = STORIES.energyLater;
const CULTURE_LATER = STORIES.cultureLater;

const FORUM = -1002000000001;

/**
 * Forum topics through the real entry point: /subscribe inside a topic subscribes that topic
 * (message_thread_id), two topics of one forum hold different subscriptions, stories land in the
 * right topic, and a deleted or closed topic is paused, reported in General and never retried.
 */
describe("forum topics", () => {
  let h: BotHarness;
  let feeds: FeedServer;
  let admin: TestUser;
  let member: TestUser;
  let energyTopic: number;
  let cultureTopic: number;

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.route("/a.xml", { body: storyFeed([]) });
    h = await BotHarness.start(
      { POLL_CRON: "*/2 * * * * *", ADMIN_IDS: "4009" },
      { feeds: [{ id: "outlet-a", url: feeds.url("/a.xml"), outlet: "Outlet A", language: "ru" }] },
    );
    admin = h.telegram.user(4001, { languageCode: "en" });
    member = h.telegram.user(4002, { languageCode: "en" });
    h.telegram.forum(FORUM, { title: "KZ-UZ Business Club", adminIds: [4001] });
    energyTopic = h.telegram.createTopic(FORUM, "Energy");
    cultureTopic = h.telegram.createTopic(FORUM, "Culture");
  });
  afterAll(async () => {
    await h?.close();
    await feeds?.close();
  });

  const forum = () => h.telegram.chats.get(FORUM) as NonNullable<ReturnType<typeof h.telegram.chats.get>>;
  const profile = (key: string) => h.redis.client.hgetall(`${h.redis.prefix}:profile:${key}`);
  const isSubscriber = async (key: string) =>
    (await h.redis.client.sismember(`${h.redis.prefix}:subscribers`, key)) === 1;
  const press = (user: TestUser, label: string | RegExp, message: SentMessage) =>
    user.waitForAnswer(user.press(label, message, forum()));
  const storiesIn = (thread: number | undefined) =>
    h.telegram
      .messagesInThread(FORUM, thread)
      .filter((m) => m.text?.startsWith("<b><a href"))
      .map((m) => /href="([^"]+)"/.exec(m.text ?? "")?.[1]);

  async function subscribeTopic(thread: number, topic: RegExp, rates: "Yes" | "No") {
    const dialogue = await admin.askInTopic("/subscribe", forum(), thread);
    expect(dialogue.message_thread_id).toBe(thread);
    await press(admin, topic, dialogue);
    await press(admin, "✅ Done", dialogue);
    await h.telegram.waitFor(() => /Step 2 of 3/.test(dialogue.text ?? ""));
    await press(admin, rates, dialogue);
    await h.telegram.waitFor(() => /Step 3 of 3/.test(dialogue.text ?? ""));
    await press(admin, /Confirm/, dialogue);
    await h.telegram.waitFor(() => /You are subscribed/.test(dialogue.text ?? ""));
  }

  it("/subscribe in a topic subscribes that topic; another topic holds another subscription", async () => {
    await subscribeTopic(energyTopic, /Energy/, "No");
    await subscribeTopic(cultureTopic, /Culture/, "Yes");
    const energyKey = `${FORUM}:${energyTopic}`;
    const cultureKey = `${FORUM}:${cultureTopic}`;
    expect(await isSubscriber(energyKey)).toBe(true);
    expect(await isSubscriber(cultureKey)).toBe(true);
    // The forum itself (its General topic) has no subscription of its own.
    expect(await isSubscriber(String(FORUM))).toBe(false);
    expect(await profile(energyKey)).toMatchObject({ s: "active", r: "0", k: "supergroup" });
    expect(await profile(cultureKey)).toMatchObject({ s: "active", r: "1" });
    expect(Number((await profile(energyKey)).t)).not.toBe(Number((await profile(cultureKey)).t));
  });

  it("/settings in a topic shows that topic's subscription; members may not change it", async () => {
    const settings = await admin.askInTopic("/settings", forum(), cultureTopic);
    expect(settings.message_thread_id).toBe(cultureTopic);
    expect(settings.text).toContain("Culture");
    expect(settings.text).toContain("yes, at 09:00");
    const refused = await member.askInTopic("/subscribe", forum(), energyTopic);
    expect(refused.text).toBe("Only the group's administrators can change its subscription.");
    expect(refused.message_thread_id).toBe(energyTopic);
  });

  it("delivers each story to the topic that asked for it, nothing to General", async () => {
    feeds.route("/a.xml", { body: storyFeed([ENERGY, CULTURE]) });
    await h.telegram.waitFor(
      () => storiesIn(energyTopic).length >= 1 && storiesIn(cultureTopic).length >= 1,
      25_000,
      "a story in each topic",
    );
    await new Promise((r) => setTimeout(r, 4000)); // more cycles: nothing twice
    expect(storiesIn(energyTopic)).toEqual([ENERGY.link]);
    expect(storiesIn(cultureTopic)).toEqual([CULTURE.link]);
    expect(storiesIn(undefined)).toEqual([]);
    // Every story went out with its topic's message_thread_id (none to General).
    const stories = h.telegram
      .callsOf("sendMessage")
      .filter((c) => Number(c.params.chat_id) === FORUM && String(c.params.text).startsWith("<b><a href"));
    expect(stories.map((c) => c.params.message_thread_id).sort()).toEqual([energyTopic, cultureTopic].sort());
  });

  it("an admin's broadcast can target forum topics only, or leave channels and topics out", async () => {
    const operator = h.telegram.user(4009, { languageCode: "en" });
    const person = h.telegram.user(4003, { languageCode: "en" });
    const dialogue = await person.ask("/subscribe");
    await person.waitForAnswer(person.press("All topics", dialogue));
    await person.waitForAnswer(person.press("✅ Done", dialogue));
    await h.telegram.waitFor(() => /Step 2 of 3/.test(dialogue.text ?? ""));
    await person.waitForAnswer(person.press("No", dialogue));
    await h.telegram.waitFor(() => /Step 3 of 3/.test(dialogue.text ?? ""));
    await person.waitForAnswer(person.press(/Confirm/, dialogue));
    await h.telegram.waitFor(() => /You are subscribed/.test(dialogue.text ?? ""));

    let sourceId = 9000;
    const copies = (chatId: number, thread: number | undefined, id: number) =>
      h.telegram.messagesInThread(chatId, thread).filter((m) => m.text === `[copyMessage ${id}]`).length;
    const broadcast = async (label: RegExp, expected: RegExp) => {
      await operator.ask("/broadcast");
      const id = ++sourceId;
      const before = operator.messages().length;
      h.telegram.pushUpdate({
        message: {
          message_id: id,
          from: operator.user,
          chat: operator.chat,
          date: 0,
          text: "Forum on 12 May",
        },
      });
      const menu = await operator.waitForMessage({ after: before + 1 });
      await operator.waitForAnswer(operator.press(label, menu));
      await h.telegram.waitFor(() => expected.test(menu.text ?? ""), 8000, `the audience ${expected}`);
      await operator.waitForAnswer(operator.press(/Send/, menu));
      await h.telegram.waitFor(() => /finished/.test(menu.text ?? ""), 15_000, "the broadcast to finish");
      return id;
    };

    const toTopics = await broadcast(/Forum topics only/, /all active forum topics[\s\S]*Chats:<\/b> 2/);
    expect([copies(FORUM, energyTopic, toTopics), copies(FORUM, cultureTopic, toTopics)]).toEqual([1, 1]);
    expect(copies(FORUM, undefined, toTopics)).toBe(0);
    expect(copies(person.id, undefined, toTopics)).toBe(0);

    const toChats = await broadcast(
      /Without channels and topics/,
      /no channels, no forum topics[\s\S]*Chats:<\/b> 1/,
    );
    expect(copies(person.id, undefined, toChats)).toBe(1);
    expect(h.telegram.messagesTo(FORUM).filter((m) => m.text === `[copyMessage ${toChats}]`)).toHaveLength(0);

    // /stats counts where the active subscriptions are.
    const stats = await operator.ask("/stats");
    expect(stats.text).toContain("Where (active): private chats 1 · groups 0 · channels 0 · forum topics 2");
  });

  it("a deleted topic and a closed topic are paused, reported in General, and never retried", async () => {
    h.telegram.deleteTopic(FORUM, energyTopic);
    h.telegram.closeTopic(FORUM, cultureTopic);
    const generalBefore = h.telegram.messagesInThread(FORUM, undefined).length;
    feeds.route("/a.xml", { body: storyFeed([ENERGY, CULTURE, ENERGY_LATER, CULTURE_LATER]) });
    const notices = await h.telegram.waitFor(
      () => {
        const told = h.telegram.messagesInThread(FORUM, undefined).slice(generalBefore);
        return told.length >= 2 ? told : undefined;
      },
      25_000,
      "two notices in General",
    );
    expect(notices.map((m) => m.text).sort()).toEqual(
      [energyTopic, cultureTopic]
        .sort()
        .map(
          (t) =>
            `⚠️ The topic where I posted news (topic #${t}) was closed or deleted, so its subscription is paused. An administrator can reopen it, or send /subscribe inside another topic.`,
        ),
    );
    expect(await profile(`${FORUM}:${energyTopic}`)).toMatchObject({ s: "gone" });
    expect(await profile(`${FORUM}:${cultureTopic}`)).toMatchObject({ s: "blocked" });
    expect(await isSubscriber(`${FORUM}:${energyTopic}`)).toBe(false);
    expect(await isSubscriber(`${FORUM}:${cultureTopic}`)).toBe(false);

    await new Promise((r) => setTimeout(r, 4000)); // more cycles and any backoff: no retries
    const refused = h.telegram
      .callsOf("sendMessage")
      .filter((c) => Number(c.params.chat_id) === FORUM && c.status === 400);
    expect(refused.map((c) => c.params.message_thread_id).sort()).toEqual([energyTopic, cultureTopic].sort());
    // Nothing was dead-lettered for a retry by an admin: these are not transient failures.
    expect(await h.redis.client.llen(`${h.redis.prefix}:dlv:dead`)).toBe(0);
    expect(h.telegram.messagesInThread(FORUM, undefined).slice(generalBefore)).toHaveLength(2);
  });

  it("the bot removed from the forum pauses every topic", async () => {
    const third = h.telegram.createTopic(FORUM, "Trade");
    const dialogue = await admin.askInTopic("/subscribe", forum(), third);
    await press(admin, "All topics", dialogue);
    await press(admin, "✅ Done", dialogue);
    await h.telegram.waitFor(() => /Step 2 of 3/.test(dialogue.text ?? ""));
    await press(admin, "No", dialogue);
    await h.telegram.waitFor(() => /Step 3 of 3/.test(dialogue.text ?? ""));
    await press(admin, /Confirm/, dialogue);
    await h.telegram.waitFor(() => /You are subscribed/.test(dialogue.text ?? ""));
    expect(await isSubscriber(`${FORUM}:${third}`)).toBe(true);

    admin.removeBotFrom(forum());
    const paused = async () => (await profile(`${FORUM}:${third}`)).s === "blocked";
    for (let i = 0; i < 50 && !(await paused()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await profile(`${FORUM}:${third}`)).toMatchObject({ s: "blocked" });
    expect(await isSubscriber(`${FORUM}:${third}`)).toBe(false);
  });
});
