import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FeedConfig } from "../../src/news/types.js";
import { type BotProcess, spawnBot, TEST_TOKEN } from "./botProcess.js";
import { NbkServer } from "./nbkServer.js";
import { type TestRedis, useTestRedis } from "./redis.js";
import { type LatencyOptions, type LimitOptions, TelegramEmulator } from "./telegramEmulator.js";

type HarnessFeed = Partial<FeedConfig> & { id: string; url: string };

/**
 * Everything an end-to-end test of the bot needs: a throwaway Redis, the Telegram emulator, a
 * local NBK, and the real bot process wired to them. `restart()` stops the process gracefully
 * (or kills it) and starts a new one on the same Redis.
 */
export class BotHarness {
  bot: BotProcess | undefined;
  private readyCall: "getUpdates" | "setWebhook" = "getUpdates";
  private readonly dir = mkdtempSync(join(tmpdir(), "kzuz-harness-"));
  /** The FEEDS_FILE the bot reads; `setFeeds` rewrites it (read again at the next start). */
  readonly feedsFile = join(this.dir, "feeds.json");

  private constructor(
    readonly redis: TestRedis,
    readonly telegram: TelegramEmulator,
    readonly nbk: NbkServer,
    private readonly extraEnv: Record<string, string>,
  ) {}

  static async start(
    env: Record<string, string> = {},
    options: {
      appendOnly?: boolean;
      feeds?: HarnessFeed[];
      /** The call that shows the bot is up: getUpdates (polling) or setWebhook (webhook mode). */
      waitFor?: "getUpdates" | "setWebhook";
      /**
       * How slow the emulator is: the bot is tested against a Telegram as slow as the real one.
       * @defaultValue TELEGRAM_LATENCY (median 150 ms, p99 ≈ 1 s, a stall in 500)
       */
      latency?: LatencyOptions | false;
      /** @defaultValue TELEGRAM_LIMITS (Telegram's own; a 429 answers whatever exceeds them) */
      limits?: LimitOptions | false;
    } = {},
  ): Promise<BotHarness> {
    const telegram = await TelegramEmulator.start(TEST_TOKEN, options);
    const harness = new BotHarness(await useTestRedis(options), telegram, await NbkServer.start(), env);
    harness.readyCall = options.waitFor ?? "getUpdates";
    harness.setFeeds(options.feeds ?? []);
    await harness.startBot();
    return harness;
  }

  /** Writes the feed list (read at the next start). Tests never reach real outlets: empty unless given. */
  setFeeds(feeds: HarnessFeed[]): void {
    writeFileSync(this.feedsFile, JSON.stringify(feeds.map((f) => ({ outlet: f.id, language: "ru", ...f }))));
  }

  /** Changes the environment of the next start (e.g. another TIMEZONE after a restart). */
  setEnv(extra: Record<string, string>): void {
    Object.assign(this.extraEnv, extra);
  }

  env(): Record<string, string> {
    return {
      BOT_TOKEN: TEST_TOKEN,
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: this.redis.prefix,
      TELEGRAM_API_ROOT: this.telegram.apiRoot,
      NBK_RATES_URL: this.nbk.url,
      FEEDS_FILE: this.feedsFile,
      ...this.extraEnv,
    };
  }

  /** Starts the bot and resolves once it polls. */
  async startBot(): Promise<BotProcess> {
    const before = this.telegram.callsOf(this.readyCall).length;
    const proc = spawnBot(this.env());
    await this.telegram.waitFor(
      () => this.telegram.callsOf(this.readyCall).length > before || proc.child.exitCode !== null,
      20_000,
      "the bot to start polling",
    );
    if (proc.child.exitCode !== null) throw new Error(`bot exited early:\n${proc.output().stderr}`);
    this.bot = proc;
    return proc;
  }

  async restart(how: "graceful" | "kill" = "graceful"): Promise<void> {
    if (how === "kill") await this.bot?.kill();
    else await this.bot?.stop();
    await this.startBot();
  }

  async close(): Promise<void> {
    await this.bot?.stop();
    await this.telegram.stop();
    await this.nbk.stop();
    await this.redis.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
