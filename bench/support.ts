/**
 * What every benchmark and the resilience suite share: clean-up that runs even on failure or a
 * global timeout, one stage (a throwaway Redis, the Telegram emulator as slow and as strict as
 * asked, the delivery child's environment), subscribers and stories to deliver, the delivery
 * engine in a child process (so its CPU and memory are its own), and the JSON result files.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { LANGUAGES } from "../src/i18n/languages.js";
import { createLogger } from "../src/logger.js";
import { RedisStoryStore } from "../src/news/storyStore.js";
import type { Story } from "../src/news/types.js";
import type { RedisKeys } from "../src/storage/keys.js";
import { SubscriptionStore } from "../src/storage/subscriptions.js";
import { TEST_TOKEN } from "../test/support/botProcess.js";
import { ThrowawayRedis } from "../test/support/redis.js";
import {
  type LatencyOptions,
  type LimitOptions,
  TelegramEmulator,
} from "../test/support/telegramEmulator.js";
import type { ChildReport } from "./deliveryChild.js";

export { maxInWindow } from "../test/support/timing.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));
export const silentLogger = createLogger({ level: "silent" });

// ------------------------------------------------------------------------------ clean-up

const cleanups: Array<() => Promise<unknown> | unknown> = [];

/** Registers a clean-up; they run newest first from `cleanUp()`, each at most once. */
export function onCleanup(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(fn);
}

/** Runs every registered clean-up (servers, children), newest first, ignoring their failures. */
export async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop() as () => unknown;
    try {
      await Promise.race([fn(), sleep(5000)]);
    } catch {
      // A clean-up that fails must not stop the others.
    }
  }
}

/**
 * Runs `main` under a global deadline: on timeout, an exception, SIGINT or SIGTERM every server
 * and child process is stopped before the exit. Exit code: main's, 1 on error, 2 on timeout.
 */
export function runBounded(name: string, timeoutMs: number, main: () => Promise<number>): void {
  const finish = async (code: number) => {
    await cleanUp();
    process.exit(code);
  };
  const timer = setTimeout(() => {
    console.error(`\n${name}: global timeout of ${Math.round(timeoutMs / 1000)} s reached; cleaning up`);
    void finish(2);
  }, timeoutMs);
  timer.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${name}: ${signal}; cleaning up`);
      void finish(130);
    });
  }
  main().then(
    (code) => finish(code),
    (err: unknown) => {
      console.error(`${name} failed:`, err instanceof Error ? (err.stack ?? err.message) : err);
      void finish(1);
    },
  );
}

// ------------------------------------------------------------------------------ the stage

/** A throwaway Redis and a client of it (maxRetriesPerRequest: null, errors ignored). */
export type RedisStage = { server: ThrowawayRedis; client: Redis };

/** A Redis stage plus the Telegram emulator and the environment a delivery child needs. */
export type BenchStage = RedisStage & {
  telegram: TelegramEmulator;
  /** The delivery child's environment for `keys` (the bot's variables), plus `extra`. */
  childEnv(keys: RedisKeys, extra?: Record<string, string>): Record<string, string>;
};

export type StageOptions = {
  /** Redis with append-only and fsync always (for the Redis-restart scenario). */
  appendOnly?: boolean;
  /**
   * Telegram's limits (30/s free, 1,000/s paid, per chat, per group), or false for none.
   * @defaultValue TELEGRAM_LIMITS
   */
  limits?: LimitOptions | false;
  /**
   * The emulator's latency model, or false for answers in microseconds (the zero-latency
   * ceiling). @defaultValue TELEGRAM_LATENCY (median 150 ms, p99 ≈ 1 s, stalls)
   */
  latency?: LatencyOptions | false;
  /** A running emulator to reuse instead of starting one. */
  telegram?: TelegramEmulator;
};

/**
 * The one setup of every benchmark: a throwaway Redis and, unless `telegram: false`, the
 * emulator with Telegram's limits and latency by default (message records off: fan-outs are
 * huge). Everything is stopped by `cleanUp()`, even on failure or timeout.
 */
export async function startStage(
  options: Omit<StageOptions, "telegram"> & { telegram: false },
): Promise<RedisStage>;
export async function startStage(options?: StageOptions): Promise<BenchStage>;
export async function startStage(
  options: Omit<StageOptions, "telegram"> & { telegram?: TelegramEmulator | false } = {},
): Promise<RedisStage | BenchStage> {
  const server = await ThrowawayRedis.start({ appendOnly: options.appendOnly ?? false });
  onCleanup(() => server.stop());
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  client.on("error", () => {});
  onCleanup(() => client.disconnect());
  if (options.telegram === false) return { server, client };
  let telegram = options.telegram;
  if (!telegram) {
    const started = await TelegramEmulator.start(TEST_TOKEN, options);
    onCleanup(() => started.stop());
    started.recordMessages = false;
    telegram = started;
  }
  const emulator = telegram;
  return {
    server,
    client,
    telegram: emulator,
    childEnv: (keys, extra = {}) => ({
      BOT_TOKEN: TEST_TOKEN,
      REDIS_URL: server.url,
      REDIS_PREFIX: keys.prefix,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      ...extra,
    }),
  };
}

/**
 * The delivery child's send rate: SEND_RATE_LIMIT up to Telegram's free 30, above it the test
 * override DELIVERY_RATE_LIMIT (config refuses more than 30 without paid broadcasts, but the
 * emulator with its limits off has none; see test/support/deliveryFromEnv.ts).
 */
export function rateEnv(ratePerSecond: number): Record<string, string> {
  return ratePerSecond <= 30
    ? { SEND_RATE_LIMIT: String(ratePerSecond) }
    : { DELIVERY_RATE_LIMIT: String(ratePerSecond) };
}

/** Short timings, so a restarted delivery child takes over a killed one's work within seconds. */
export const FAST_TAKEOVER = {
  DELIVERY_LOCK_MS: "2000",
  DELIVERY_STALLED_MS: "1000",
  DELIVERY_RESUME_MS: "1000",
  DELIVERY_FANOUT_LOCK_MS: "2000",
};

/** Stops a stage now (its clean-ups stay registered; running them again does nothing harmful). */
export async function stopStage(stage: RedisStage | BenchStage): Promise<void> {
  if ("telegram" in stage) await stage.telegram.stop();
  stage.client.disconnect();
  await stage.server.stop();
}

// ------------------------------------------------------------------------------ small tools

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `predicate` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s: ${what}`);
    await sleep(everyMs);
  }
}

/** The p-th percentile (0..100) of an ascending-sorted list, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** Writes `bench/results/<name>.json` and returns its path. */
export function writeResult(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = `${RESULTS_DIR}${name}.json`;
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}

/** Prints rows as an aligned text table. */
export function printTable(rows: ReadonlyArray<Record<string, string | number | boolean>>): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const cell = (v: unknown) => String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] as number)).join("  ");
  console.log(line(columns));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => cell(row[c]))));
}

/** `INFO memory` used_memory, in bytes. */
export async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info("memory");
  const match = /used_memory:(\d+)/.exec(info);
  if (!match) throw new Error("INFO memory has no used_memory");
  return Number(match[1]);
}

// ------------------------------------------------------------------------------ data

/** A story like those the pipeline accepts (transport, so every bench subscriber wants it). */
export function benchStory(id: string): Story {
  const now = new Date().toISOString();
  return {
    id,
    feedId: "kun",
    outlet: "Kun.uz",
    language: "ru",
    title: `Казахстан и Узбекистан построят железную дорогу Дарбаза — Мактаарал (${id})`,
    summary:
      "Министры транспорта Казахстана и Узбекистана согласовали строительство железной дороги между странами. Линия длиной 152 км сократит путь грузов в Афганистан и порты Персидского залива.",
    link: `https://kun.uz/news/2026/${id}`,
    published: now,
    publishedEstimated: false,
    categories: [],
    topics: ["transport"],
    alsoReportedBy: [],
    acceptedAt: now,
  };
}

/**
 * Subscribes chats `ids` directly through SubscriptionStore (the bot's own write path), in
 * concurrent chunks so ioredis pipelines the MULTIs. Languages rotate so every text is rendered.
 */
export async function subscribeMany(
  client: Redis,
  keys: RedisKeys,
  ids: readonly number[],
  chunk = 1000,
): Promise<void> {
  const store = new SubscriptionStore(client, keys, silentLogger);
  for (let i = 0; i < ids.length; i += chunk) {
    await Promise.all(
      ids.slice(i, i + chunk).map((chatId, j) =>
        store.subscribe(chatId, {
          kind: "private",
          language: LANGUAGES[(i + j) % LANGUAGES.length] as (typeof LANGUAGES)[number],
          topics: ["transport", "trade"],
          rates: false,
        }),
      ),
    );
  }
}

export async function saveStory(client: Redis, keys: RedisKeys, story: Story): Promise<void> {
  await new RedisStoryStore(client, keys, silentLogger).saveStory(story);
}

// ------------------------------------------------------------------------------ emulator

/** The emulator's successful sends (messages and copies) since `fromIndex` of its call log, as (chat, arrival epoch ms). */
export function sendsSince(
  telegram: TelegramEmulator,
  fromIndex: number,
): Array<{ chatId: number; at: number }> {
  const out: Array<{ chatId: number; at: number }> = [];
  const origin = performance.timeOrigin;
  for (let i = fromIndex; i < telegram.calls.length; i++) {
    const call = telegram.calls[i];
    if (call && (call.method === "sendMessage" || call.method === "copyMessage") && call.status === 200) {
      out.push({ chatId: Number(call.params.chat_id), at: origin + call.at });
    }
  }
  return out;
}

/** Lost (chats with no message) and duplicates (messages beyond the first) over `ids`. */
export function lossAndDuplicates(
  telegram: TelegramEmulator,
  ids: readonly number[],
  before: ReadonlyMap<number, number> = new Map(),
): { delivered: number; lost: number; duplicates: number } {
  let lost = 0;
  let duplicates = 0;
  let delivered = 0;
  for (const id of ids) {
    const n = telegram.countTo(id) - (before.get(id) ?? 0);
    delivered += n;
    if (n === 0) lost++;
    else duplicates += n - 1;
  }
  return { delivered, lost, duplicates };
}

// ------------------------------------------------------------------------------ the delivery child

let compiledRoot: string | undefined;

/**
 * Compiles src/, test/ and bench/ with tsc into a temporary directory (node_modules, locales and
 * data linked beside it), so delivery children run as `npm start` does: plain node on
 * JavaScript, without tsx's loader thread and its memory.
 */
export function useCompiledChildren(existing?: string): string {
  if (compiledRoot) return compiledRoot;
  if (existing) {
    compiledRoot = existing;
    return existing;
  }
  const dir = mkdtempSync(join(tmpdir(), "kzuz-bench-build-"));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.json")].concat([
      "--outDir",
      dir,
      "--noEmit",
      "false",
      "--sourceMap",
      "false",
    ]),
    { cwd: ROOT, stdio: "inherit" },
  );
  for (const name of ["node_modules", "locales", "data"]) symlinkSync(join(ROOT, name), join(dir, name));
  compiledRoot = dir;
  return dir;
}

export type DeliveryChild = {
  child: ChildProcess;
  /** Resolves with the child's latest report (CPU, memory, fan-out times); `gc` collects first. */
  report(gc?: boolean): Promise<ChildReport>;
  /** SIGTERM: graceful stop (and a written CPU profile with `--cpu-prof`). */
  stop(): Promise<void>;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  stderr(): string;
};

/**
 * Runs `bench/deliveryChild.ts` (the delivery engine alone) with the bot's environment plus
 * tuning (see that file). `nodeArgs` e.g. `--cpu-prof`. Killed by the clean-up if still running.
 */
export function spawnDeliveryChild(env: Record<string, string>, nodeArgs: string[] = []): DeliveryChild {
  const entry = compiledRoot
    ? [join(compiledRoot, "bench/deliveryChild.js")]
    : ["--import", "tsx", "bench/deliveryChild.ts"];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const exited = once(child, "exit").catch(() => undefined);
  const alive = () => child.exitCode === null && child.signalCode === null;
  let last: ChildReport | undefined;
  const waiting: Array<(r: ChildReport) => void> = [];
  child.on("message", (message) => {
    last = message as ChildReport;
    for (const w of waiting.splice(0)) w(last);
  });
  const kill = async () => {
    if (alive()) child.kill("SIGKILL");
    await exited;
  };
  onCleanup(kill);
  return {
    child,
    stderr: () => stderr,
    async report(gc = false) {
      if (!alive()) {
        if (last) return last;
        throw new Error(`delivery child is not running: ${stderr.slice(-2000)}`);
      }
      const next = new Promise<ChildReport>((resolve, reject) => {
        waiting.push(resolve);
        setTimeout(() => reject(new Error("delivery child did not report")), 10_000).unref();
      });
      child.send(gc ? "report-gc" : "report");
      return next;
    },
    async stop() {
      if (alive()) child.kill("SIGTERM");
      await Promise.race([exited, sleep(15_000)]);
      await kill();
    },
    kill,
  };
}

/** Waits for the child's "ready" report (delivery started, stories accepted or walking). */
export async function waitReady(child: DeliveryChild, timeoutMs = 30_000): Promise<ChildReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.child.exitCode !== null || child.child.signalCode !== null) {
      throw new Error(`delivery child exited early: ${child.stderr().slice(-2000)}`);
    }
    try {
      const r = await child.report();
      if (r.ready) return r;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`delivery child not ready: ${child.stderr().slice(-2000)}`);
    await sleep(100);
  }
}

/** The process that finishes a run, and what a SIGKILL before it cost (zeros without one). */
export type KillAndRestart = {
  child: DeliveryChild;
  /** CPU of `child` when it started measuring (µs). */
  cpu0: NodeJS.CpuUsage;
  /** CPU and peak RSS of the killed process, up to its last report before the kill. */
  killedCpuMs: number;
  killedPeakRss: number;
  /** Sends before the kill, and the duplicates it may cause: the killed process's sends in flight. */
  kill?: { afterSends: number; allowedDuplicates: number };
};

/**
 * With `afterSends` set: SIGKILLs `child` (a crash) once that many sends have reached the
 * emulator since `callsBefore`, then starts a fresh delivery process with `env`. The duplicates
 * allowed are the killed process's in-flight bound at its last report (`fallbackInFlight` when it
 * reports none). Without it, the run goes on with `child` as it is.
 */
export async function killAndRestart(options: {
  telegram: TelegramEmulator;
  callsBefore: number;
  afterSends: number | undefined;
  child: DeliveryChild;
  cpu0: NodeJS.CpuUsage;
  ids: readonly number[];
  env: Record<string, string>;
  nodeArgs?: string[];
  fallbackInFlight: number;
}): Promise<KillAndRestart> {
  const { telegram, callsBefore, afterSends, child, cpu0 } = options;
  if (afterSends === undefined) return { child, cpu0, killedCpuMs: 0, killedPeakRss: 0 };
  await waitUntil(() => telegram.calls.length - callsBefore >= afterSends, 120_000, `${afterSends} sends`, 5);
  const last = await child.report();
  await child.kill();
  const fresh = spawnDeliveryChild(options.env, options.nodeArgs);
  return {
    killedCpuMs: (last.cpu.user - cpu0.user + last.cpu.system - cpu0.system) / 1000,
    killedPeakRss: last.peakRssBytes,
    kill: {
      afterSends: lossAndDuplicates(telegram, options.ids).delivered,
      allowedDuplicates: last.inFlightLimit ?? options.fallbackInFlight,
    },
    child: fresh,
    cpu0: (await waitReady(fresh)).cpu,
  };
}
