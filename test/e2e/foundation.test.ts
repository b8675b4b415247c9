import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, spawnBot, TEST_TOKEN } from "../support/botProcess.js";
import { freePort, type TestRedis, useTestRedis } from "../support/redis.js";
import { TelegramEmulator } from "../support/telegramEmulator.js";

/**
 * The foundation end to end: the real entry point against the emulator and a real Redis.
 */
describe("the bot, through its real entry point", () => {
  let redis: TestRedis;
  let telegram: TelegramEmulator;
  let bot: BotProcess | undefined;

  const env = () => ({
    BOT_TOKEN: TEST_TOKEN,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    TELEGRAM_API_ROOT: telegram.apiRoot,
  });

  async function startBot(): Promise<BotProcess> {
    const callsBefore = telegram.callsOf("getUpdates").length;
    const proc = spawnBot(env());
    await telegram.waitFor(
      () => telegram.callsOf("getUpdates").length > callsBefore || proc.child.exitCode !== null,
      20_000,
      "the bot to start polling",
    );
    if (proc.child.exitCode !== null) throw new Error(`bot exited early: ${proc.output().stderr}`);
    return proc;
  }

  beforeAll(async () => {
    redis = await useTestRedis({ appendOnly: true });
    telegram = await TelegramEmulator.start(TEST_TOKEN);
    bot = await startBot();
  });

  afterAll(async () => {
    await bot?.stop();
    await telegram?.stop();
    await redis?.close();
  });

  it("registers the command menu in every language", async () => {
    for (const language of ["ru", "kk", "uz", "en"]) {
      const menu = telegram.commands.get(`default|${language}`);
      expect(menu?.map((c) => c.command)).toEqual([
        "start",
        "subscribe",
        "topics",
        "settings",
        "channels",
        "keywords",
        "latest",
        "rates",
        "language",
        "unsubscribe",
        "cancel",
        "help",
      ]);
    }
    expect(telegram.commands.get("default|kk")?.at(-1)?.description).toBe("Командалар тізімі");
  });

  it("greets a Kazakh-speaking user in Kazakh, then follows /language to English", async () => {
    const aigerim = telegram.user(1001, { firstName: "Айгерім", languageCode: "kk" });
    const welcome = await aigerim.ask("/start");
    expect(welcome.text).toContain("Сәлеметсіз бе, Айгерім!");
    expect(welcome.text).toContain("/language");
    expect(welcome.parse_mode).toBe("HTML");
    expect(await redis.client.hget(`${redis.prefix}:profile:1001`, "lang")).toBe("kk");

    const picker = await aigerim.ask("/language");
    expect(picker.reply_markup?.inline_keyboard?.flat().map((b) => b.text)).toEqual([
      "Русский",
      "Қазақша",
      "Oʻzbekcha",
      "English",
    ]);
    const press = aigerim.press("English", picker);
    await aigerim.waitForAnswer(press);
    await telegram.waitFor(() => picker.text?.includes("English"), 5000, "the picker to be edited");
    expect(picker.text).toBe("Done: I will speak English with you now.");
    expect(picker.reply_markup).toBeUndefined();

    const help = await aigerim.ask("/help");
    expect(help.text).toContain("What I can do");
  });

  it("keeps the chosen language across a restart", async () => {
    const code = await bot?.stop();
    expect(code).toEqual({ code: 0, signal: null });
    bot = await startBot();
    const aigerim = telegram.user(1001, { firstName: "Айгерім", languageCode: "kk" });
    const reply = await aigerim.ask("/help");
    expect(reply.text).toContain("What I can do");
  });

  it("detects Uzbek, and falls back to Russian for languages it does not speak", async () => {
    const uz = telegram.user(1002, { firstName: "Dilnoza", languageCode: "uz" });
    expect((await uz.ask("/start")).text).toContain("Assalomu alaykum, Dilnoza!");
    const de = telegram.user(1003, { firstName: "Hans", languageCode: "de" });
    expect((await de.ask("/start")).text).toContain("Здравствуйте, Hans!");
    const none = telegram.user(1004, { firstName: "Anon" });
    expect((await none.ask("/help")).text).toContain("Что я умею");
  });

  it("escapes a user's name in the HTML welcome", async () => {
    const user = telegram.user(1005, { firstName: "<b>Bob & Co", languageCode: "en" });
    const welcome = await user.ask("/start");
    expect(welcome.text).toContain("Hello, &lt;b&gt;Bob &amp; Co!");
  });

  it("answers an unknown command with the help hint, and plain text with a hint", async () => {
    const user = telegram.user(1006, { languageCode: "en" });
    expect((await user.ask("/weather")).text).toBe(
      "I don't know the command /weather. Send /help to see what I can do.",
    );
    expect((await user.ask("hello?")).text).toBe("I answer commands only. Send /help to see what I can do.");
  });

  it("answers a forged button press and changes nothing", async () => {
    const user = telegram.user(1007, { languageCode: "en" });
    await user.ask("/start");
    const forged = user.pressData("lang:xx");
    expect(await user.waitForAnswer(forged)).toEqual({ text: "This button is no longer active." });
    const junk = user.pressData("💥".repeat(40));
    expect(await user.waitForAnswer(junk)).toEqual({ text: "This button is no longer active." });
    expect(await redis.client.hget(`${redis.prefix}:profile:1007`, "lang")).toBe("en");
  });

  it("survives a corrupt profile record", async () => {
    await redis.client.hset(`${redis.prefix}:profile:1008`, "lang", "klingon");
    const user = telegram.user(1008, { languageCode: "en" });
    expect((await user.ask("/help")).text).toContain("What I can do");
  });

  it("waits out a Redis outage: an update sent while Redis is down is answered after it returns", async () => {
    if (!redis.server) return; // with an external REDIS_URL the test cannot restart the server
    const user = telegram.user(1009, { languageCode: "ru" });
    await user.ask("/start");
    const picker = await user.ask("/language");
    await user.waitForAnswer(user.press("English", picker));

    await redis.server.kill();
    const before = user.messages().length;
    user.send("/help");
    await new Promise((r) => setTimeout(r, 1500));
    expect(user.messages().length).toBe(before); // nothing answered without its profile
    await redis.server.restart({ appendOnly: true });

    const reply = await user.waitForMessage({ after: before, timeoutMs: 15_000 });
    // The language chosen before the crash was acknowledged, so it survived.
    expect(reply.text).toContain("What I can do");
    expect(bot?.child.exitCode).toBeNull();
  });

  it("on SIGTERM finishes the reply in flight, then exits 0 within 10 s", async () => {
    const user = telegram.user(1010, { languageCode: "en" });
    await user.ask("/start");
    const before = user.messages().length;
    telegram.injectFault("slow", { method: "sendMessage", chatId: 1010, value: 1500 });
    user.send("/help");
    await new Promise((r) => setTimeout(r, 400)); // the reply is now held up by the emulator
    const started = Date.now();
    const exit = await bot?.stop("SIGTERM");
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(user.messages()[before]?.text).toContain("What I can do");
    bot = await startBot();
    // The update was confirmed at shutdown, so the new process does not answer it again.
    await new Promise((r) => setTimeout(r, 500));
    expect(user.messages().length).toBe(before + 1);
  });

  it("never writes the token to its logs", () => {
    const { stdout, stderr } = bot?.output() ?? { stdout: "", stderr: "" };
    expect(stdout.length).toBeGreaterThan(0);
    expect(stdout + stderr).not.toContain(TEST_TOKEN.split(":")[1]);
  });
});

describe("start-up errors", () => {
  it("explains a missing BOT_TOKEN and exits non-zero", async () => {
    const proc = spawnBot({});
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output().stderr).toContain(
      "BOT_TOKEN is missing: create a bot with @BotFather and set BOT_TOKEN",
    );
  });

  it("lists every bad value by name without echoing secrets", async () => {
    const proc = spawnBot({
      BOT_TOKEN: "not-a-token-secret-value",
      TIMEZONE: "Mars/Olympus",
      ADMIN_IDS: "12,abc",
      POLL_CRON: "every minute",
    });
    const { code } = await proc.exited;
    const { stderr } = proc.output();
    expect(code).toBe(1);
    expect(stderr).toContain("BOT_TOKEN does not look like a bot token");
    expect(stderr).toContain("TIMEZONE is not an IANA time zone");
    expect(stderr).toContain("ADMIN_IDS must be numeric Telegram user ids");
    expect(stderr).toContain("POLL_CRON is not a valid cron expression");
    expect(stderr).not.toContain("not-a-token-secret-value");
  });

  it("says clearly when Redis is unreachable, and exits non-zero", async () => {
    const port = await freePort();
    const proc = spawnBot({
      BOT_TOKEN: TEST_TOKEN,
      REDIS_URL: `redis://:hunter2secret@127.0.0.1:${port}`,
    });
    const { code } = await proc.exited;
    const { stderr } = proc.output();
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${port}: is it running?`);
    expect(stderr).not.toContain("hunter2secret");
  });

  it("says clearly when Telegram rejects the token", async () => {
    const redis = await useTestRedis();
    const telegram = await TelegramEmulator.start("7000000002:AAanother-token-the-bot-does-not-have");
    try {
      const proc = spawnBot({
        BOT_TOKEN: TEST_TOKEN,
        REDIS_URL: redis.url,
        REDIS_PREFIX: redis.prefix,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      });
      const { code } = await proc.exited;
      expect(code).toBe(1);
      expect(proc.output().stderr).toContain("Telegram rejected BOT_TOKEN");
    } finally {
      await telegram.stop();
      await redis.close();
    }
  });
});
