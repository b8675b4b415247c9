/**
 * Fan-out benchmarks: one story to N subscribers through the real delivery engine (in a child
 * process) against the Telegram emulator and a throwaway Redis.
 *
 * - at the limit: Telegram's limits and latency (median 150 ms, p99 ≈ 1 s, stalls), SEND_RATE_LIMIT
 *   25 or 30 → achieved rate as a fraction of the limit, 429s, the most arrivals in any second at
 *   the server, latency from acceptance to arrival; optionally a SIGKILL mid fan-out and a restart.
 * - headroom: limits off, zero latency, a high rate → the bot's own ceiling and CPU per message.
 */
import { mkdirSync } from "node:fs";
import type { Redis } from "ioredis";
import { redisKeys } from "../src/storage/keys.js";
import { type LatencyOptions, TELEGRAM_LATENCY, TELEGRAM_LIMITS } from "../test/support/telegramEmulator.js";
import { newestProfile, type ProfileSummary, summariseProfile } from "./profile.js";
import {
  benchStory,
  FAST_TAKEOVER,
  killAndRestart,
  lossAndDuplicates,
  maxInWindow,
  percentile,
  RESULTS_DIR,
  range,
  rateEnv,
  round,
  saveStory,
  sendsSince,
  spawnDeliveryChild,
  startStage,
  stopStage,
  subscribeMany,
  waitReady,
  waitUntil,
} from "./support.js";

export type FanOutRun = {
  subscribers: number;
  sendRateLimit: number;
  telegramLimits: boolean;
  /** "telegram": the emulator's latency model (TELEGRAM_LATENCY); "none": answers in microseconds. */
  latency: "telegram" | "none";
  concurrency: number | "default";
  processes: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** First to last successful send. */
  sendSeconds: number;
  messagesPerSecond: number;
  fractionOfLimit: number;
  maxInAnySecond: number;
  /** The most sends accepted in any 1-s window at the server (after inbound latency). */
  maxInAnySecondAtServer: number;
  tooManyRequests: number;
  /** With a SIGKILL: sends seen before it, and the sends in flight allowed to repeat. */
  kill?: { afterSends: number; allowedDuplicates: number };
  /** accept() to the walk having queued every job. */
  walkSeconds: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** The delivery processes only (all of them), from the first accept to the last delivery. */
  botCpuMs: number;
  botCpuUsPerMessage: number;
  botCpuCoreShare: number;
  botPeakRssMB: number;
  /** The emulator (this process) over the same span, for comparison. */
  emulatorCpuMs: number;
  redisCpuMs: number;
  /** Redis commands per delivered message, by command (INFO commandstats delta). */
  redisCommandsPerMessage: Record<string, number>;
  profile?: ProfileSummary;
};

/** Redis commands by name (INFO commandstats), to count round trips per message. */
async function commandCounts(client: Redis): Promise<Map<string, number>> {
  const info = await client.info("commandstats");
  const counts = new Map<string, number>();
  for (const match of info.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)) {
    counts.set(match[1] as string, Number(match[2]));
  }
  return counts;
}

async function redisCpuMs(client: Redis): Promise<number> {
  const info = await client.info("cpu");
  const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
  return (user + sys) * 1000;
}

/** One story to `subscribers` chats; resolves when every chat got it (or throws on timeout). */
export async function runFanOut(options: {
  subscribers: number;
  sendRateLimit: number;
  telegramLimits: boolean;
  concurrency?: number;
  /** Delivery processes sharing the queue and its limit (default 1); the first one walks. */
  processes?: number;
  profile?: boolean;
  /** The latency model, or false for zero latency. @defaultValue TELEGRAM_LATENCY */
  latency?: LatencyOptions | false;
  /** SIGKILL the delivery process after this many sends, then start a fresh one. */
  killAfterSends?: number;
  label: string;
}): Promise<FanOutRun> {
  const { subscribers, sendRateLimit } = options;
  const latency = options.latency ?? TELEGRAM_LATENCY;
  const stage = await startStage({ limits: options.telegramLimits ? TELEGRAM_LIMITS : false, latency });
  const { client, telegram } = stage;

  const keys = redisKeys("bench");
  const ids = range(20_000_000, subscribers);
  const t0 = performance.now();
  await subscribeMany(client, keys, ids);
  const story = benchStory(`fanout-${options.label}`);
  await saveStory(client, keys, story);
  console.log(`  ${subscribers} subscribers stored in ${round((performance.now() - t0) / 1000)} s`);

  const profileDir = `${RESULTS_DIR}profiles`;
  const nodeArgs = options.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  if (options.profile) mkdirSync(profileDir, { recursive: true });

  const callsBefore = telegram.calls.length;
  const limitedBefore = telegram.tooManyRequests;
  const emulatorCpu0 = process.cpuUsage();
  const redisCpu0 = await redisCpuMs(client);
  const commands0 = await commandCounts(client);
  const processes = options.processes ?? 1;
  const childEnv = stage.childEnv(keys, {
    ...rateEnv(sendRateLimit),
    ...(options.concurrency ? { DELIVERY_CONCURRENCY: String(options.concurrency) } : {}),
    // A killed process's jobs are taken over within seconds, not BullMQ's 30 s.
    ...(options.killAfterSends !== undefined ? FAST_TAKEOVER : {}),
  });
  // Helpers first (workers only), so they are ready when the walk starts queueing.
  const helpers = Array.from({ length: processes - 1 }, () => spawnDeliveryChild(childEnv));
  const helperCpu0 = await Promise.all(helpers.map((h) => waitReady(h).then((r) => r.cpu)));
  const firstChild = spawnDeliveryChild({ ...childEnv, FANOUT_STORY_IDS: story.id }, nodeArgs);
  const ready = await waitReady(firstChild);
  const acceptedAt0 = ready.accepted[0]?.startedAt;
  const { child, cpu0, killedCpuMs, killedPeakRss, kill } = await killAndRestart({
    telegram,
    callsBefore,
    afterSends: options.killAfterSends,
    child: firstChild,
    cpu0: ready.cpuAtFirstAccept ?? ready.cpu,
    ids,
    env: childEnv,
    nodeArgs,
    fallbackInFlight: concurrencyOf(options),
  });

  let delivered = 0;
  const expectedSeconds = subscribers / sendRateLimit;
  const timeoutMs = Math.max(60_000, expectedSeconds * 1500 + 30_000);
  let lastPrint = Date.now();
  await waitUntil(
    () => {
      delivered = telegram.calls.length - callsBefore;
      if (Date.now() - lastPrint > 30_000) {
        lastPrint = Date.now();
        console.log(`  … ${lossAndDuplicates(telegram, ids).delivered} / ${subscribers} delivered`);
      }
      // Cheap check first (every call), exact one only when it may be done.
      return delivered >= subscribers && lossAndDuplicates(telegram, ids).lost === 0;
    },
    timeoutMs,
    `${subscribers} deliveries (have ${lossAndDuplicates(telegram, ids).delivered})`,
    50,
  );
  const final = await child.report();
  const helperCpuMs = (
    await Promise.all(
      helpers.map(async (h, i) => {
        const r = await h.report();
        const c0 = helperCpu0[i] ?? r.cpu;
        return (r.cpu.user - c0.user + r.cpu.system - c0.system) / 1000;
      }),
    )
  ).reduce((a, b) => a + b, 0);
  const emulatorCpu = process.cpuUsage(emulatorCpu0);
  const redisCpu = (await redisCpuMs(client)) - redisCpu0;
  const commands1 = await commandCounts(client);
  await new Promise((r) => setTimeout(r, 500)); // any late duplicate
  const counts = lossAndDuplicates(telegram, ids);
  const redisCommandsPerMessage: Record<string, number> = {};
  let commandsTotal = 0;
  for (const [name, calls] of commands1) {
    const delta = calls - (commands0.get(name) ?? 0);
    if (name === "info" || delta <= 0) continue;
    commandsTotal += delta;
    const perMessage = round(delta / Math.max(1, counts.delivered), 2);
    if (perMessage >= 0.01) redisCommandsPerMessage[name] = perMessage;
  }
  redisCommandsPerMessage.total = round(commandsTotal / Math.max(1, counts.delivered), 2);

  const sends = sendsSince(telegram, callsBefore);
  const times = sends.map((s) => s.at).sort((a, b) => a - b);
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  const sendSeconds = (last - first) / 1000;
  const messagesPerSecond = sendSeconds > 0 ? (times.length - 1) / sendSeconds : 0;
  const acceptedAt = acceptedAt0 ?? final.accepted[0]?.startedAt ?? first;
  const latencies = times.map((t) => t - acceptedAt);
  const botCpuMs =
    (final.cpu.user - cpu0.user + final.cpu.system - cpu0.system) / 1000 + helperCpuMs + killedCpuMs;
  const spanSeconds = (last - acceptedAt) / 1000;

  await Promise.all([child.stop(), ...helpers.map((h) => h.stop())]);
  let profile: ProfileSummary | undefined;
  if (options.profile) {
    const file = newestProfile(profileDir);
    if (file) profile = summariseProfile(file);
  }
  const maxInAnySecondAtServer = telegram.arrivals.maxInWindow("all");
  await stopStage(stage);

  return {
    subscribers,
    sendRateLimit,
    telegramLimits: options.telegramLimits,
    latency: latency ? "telegram" : "none",
    concurrency: options.concurrency ?? "default",
    processes,
    delivered: counts.delivered,
    lost: counts.lost,
    duplicates: counts.duplicates,
    sendSeconds: round(sendSeconds, 2),
    messagesPerSecond: round(messagesPerSecond, 1),
    fractionOfLimit: round(messagesPerSecond / sendRateLimit, 3),
    maxInAnySecond: maxInWindow(times, 1000),
    maxInAnySecondAtServer,
    tooManyRequests: telegram.tooManyRequests - limitedBefore,
    ...(kill ? { kill } : {}),
    walkSeconds: round(((final.accepted[0]?.doneAt ?? acceptedAt) - acceptedAt) / 1000, 2),
    latencyMs: {
      p50: Math.round(percentile(latencies, 50)),
      p99: Math.round(percentile(latencies, 99)),
      max: Math.round(latencies.at(-1) ?? Number.NaN),
    },
    botCpuMs: Math.round(botCpuMs),
    botCpuUsPerMessage: round((botCpuMs * 1000) / Math.max(1, counts.delivered), 0),
    botCpuCoreShare: round(botCpuMs / 1000 / Math.max(0.001, spanSeconds), 2),
    botPeakRssMB: round(Math.max(final.peakRssBytes, killedPeakRss) / 1048576, 1),
    emulatorCpuMs: Math.round((emulatorCpu.user + emulatorCpu.system) / 1000),
    redisCpuMs: Math.round(redisCpu),
    redisCommandsPerMessage,
    ...(profile ? { profile } : {}),
  };
}

/** The sends in flight a run allows: its concurrency, or the worker's default for its rate. */
function concurrencyOf(options: { concurrency?: number; sendRateLimit: number }): number {
  return options.concurrency ?? Math.min(64, Math.max(2, Math.ceil(options.sendRateLimit / 2)));
}

export function describeRun(name: string, r: FanOutRun): void {
  console.log(
    `  ${name}: ${r.delivered} delivered in ${r.sendSeconds} s → ${r.messagesPerSecond} msg/s ` +
      `(${round(r.fractionOfLimit * 100)}% of ${r.sendRateLimit}/s), max ${r.maxInAnySecondAtServer} in any 1 s at the server, ` +
      `429s ${r.tooManyRequests}, lost ${r.lost}, duplicates ${r.duplicates}` +
      (r.kill ? ` (SIGKILL after ${r.kill.afterSends} sends, ≤ ${r.kill.allowedDuplicates} allowed)` : ""),
  );
  console.log(
    `    latency accept→arrival p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms; walk ${r.walkSeconds} s; ` +
      `bot CPU ${r.botCpuMs} ms (${r.botCpuUsPerMessage} µs/msg, ${r.botCpuCoreShare} cores), peak RSS ${r.botPeakRssMB} MB; ` +
      `emulator CPU ${r.emulatorCpuMs} ms, redis CPU ${r.redisCpuMs} ms`,
  );
  console.log(
    `    redis commands per message: ${Object.entries(r.redisCommandsPerMessage)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  if (r.profile) {
    console.log(`    profile ${r.profile.file}: top by package`);
    for (const p of r.profile.byPackage.slice(0, 8)) console.log(`      ${p.percent}%  ${p.where}`);
    console.log("    top frames (self time)");
    for (const f of r.profile.topFrames.slice(0, 10)) console.log(`      ${f.percent}%  ${f.frame}`);
  }
}
