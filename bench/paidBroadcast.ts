/**
 * Paid broadcast benchmark: an admin broadcast (copies of one message, as the broadcast runner
 * queues them: `copy` jobs, tracked, `paid`) to N chats through the real delivery engine in a
 * child process, with PAID_BROADCAST=true, SEND_RATE_LIMIT 1000 and FREE_SEND_RATE_LIMIT 25,
 * against the emulator with Telegram's limits (30/s free, 1,000/s with allow_paid_broadcast),
 * its latency model and a Stars balance. Figures: the rate as a fraction of the limit, 429s by
 * cause, lost and duplicated, the most arrivals in any second at the server (free and paid),
 * flagged and billed messages against the estimate shown to the admin, CPU per message, peak RSS.
 *
 * The jobs are queued before the delivery process starts, so the figures are the engine's
 * draining of a full queue (the runner tops up 1,000 at a time; it does not limit the rate).
 */
import { estimateBroadcast } from "../src/admin/paidBroadcast.js";
import { type DeliveryJob, DeliveryQueue } from "../src/delivery/index.js";
import { redisKeys } from "../src/storage/keys.js";
import { type LatencyOptions, TELEGRAM_LATENCY, TELEGRAM_LIMITS } from "../test/support/telegramEmulator.js";
import {
  FAST_TAKEOVER,
  killAndRestart,
  lossAndDuplicates,
  percentile,
  range,
  round,
  sendsSince,
  spawnDeliveryChild,
  startStage,
  stopStage,
  waitReady,
  waitUntil,
} from "./support.js";

export type PaidBroadcastRun = {
  chats: number;
  sendRateLimit: number;
  freeRate: number;
  latency: "telegram" | "none";
  concurrency: number | "default";
  delivered: number;
  lost: number;
  duplicates: number;
  /** First to last successful send at the server. */
  sendSeconds: number;
  messagesPerSecond: number;
  fractionOfLimit: number;
  tooManyRequests: number;
  tooManyRequestsByCause: Record<string, number>;
  /** Most sends accepted in any 1-s window at the server: all, unpaid, with allow_paid_broadcast. */
  maxInAnySecondAtServer: { all: number; free: number; paid: number };
  /** Sent with allow_paid_broadcast, and billed by the emulator's Stars model (over 30/s). */
  flagged: number;
  billed: number;
  starsSpent: number;
  /** What the admin was shown before Send: at most this many Stars. */
  estimatedStars: number;
  enqueueSeconds: number;
  /** Mean round trip drawn from the latency model, for Little's law (in flight = rate × round trip). */
  latencyDrawnMeanMs: number;
  botCpuMs: number;
  botCpuUsPerMessage: number;
  botCpuCoreShare: number;
  botPeakRssMB: number;
  emulatorCpuMs: number;
  arrivalGapP99Ms: number;
  /** With a SIGKILL mid broadcast: sends before it, and the duplicates it may cause (its sends in flight). */
  kill?: { afterSends: number; allowedDuplicates: number };
};

const ADMIN_CHAT = 900_001;

/** One paid broadcast to `chats` chats; resolves when every chat got it (or throws on timeout). */
export async function runPaidBroadcast(options: {
  chats: number;
  sendRateLimit?: number;
  freeRate?: number;
  concurrency?: number;
  latency?: LatencyOptions | false;
  /** SIGKILL the delivery process after this many sends, then start a fresh one. */
  killAfterSends?: number;
  label: string;
}): Promise<PaidBroadcastRun> {
  const { chats } = options;
  const sendRateLimit = options.sendRateLimit ?? 1000;
  const freeRate = options.freeRate ?? 25;
  const latency = options.latency ?? TELEGRAM_LATENCY;
  const stage = await startStage({ limits: TELEGRAM_LIMITS, latency });
  const { client, telegram } = stage;
  telegram.setStarsBalance(1_000_000);

  const keys = redisKeys(`bench-${options.label}`);
  const ids = range(70_000_000, chats);
  const connection = stage.client.duplicate({ maxRetriesPerRequest: null });
  connection.on("error", () => {});
  const queue = new DeliveryQueue({ connection, redis: client, keys });
  await queue.queue.waitUntilReady();
  const ref = `broadcast:${options.label}`;
  const jobs: DeliveryJob[] = ids.map((chatId) => ({
    kind: "copy",
    ref,
    chatId,
    fromChatId: ADMIN_CHAT,
    messageId: 1,
    track: true,
    paid: true,
  }));
  const t0 = performance.now();
  await queue.enqueue(jobs);
  const enqueueSeconds = round((performance.now() - t0) / 1000, 2);
  await queue.close();
  connection.disconnect();
  console.log(`  ${chats} paid copy jobs queued in ${enqueueSeconds} s`);

  const callsBefore = telegram.calls.length;
  const latencyBefore = telegram.latencyDrawnMs;
  const emulatorCpu0 = process.cpuUsage();
  const childEnv = stage.childEnv(keys, {
    PAID_BROADCAST: "true",
    SEND_RATE_LIMIT: String(sendRateLimit),
    FREE_SEND_RATE_LIMIT: String(freeRate),
    ...(options.concurrency ? { DELIVERY_CONCURRENCY: String(options.concurrency) } : {}),
    // A killed process's jobs are taken over within seconds, not BullMQ's 30 s.
    ...(options.killAfterSends !== undefined ? FAST_TAKEOVER : {}),
  });
  const firstChild = spawnDeliveryChild(childEnv);
  const { child, cpu0, killedCpuMs, killedPeakRss, kill } = await killAndRestart({
    telegram,
    callsBefore,
    afterSends: options.killAfterSends,
    child: firstChild,
    cpu0: (await waitReady(firstChild)).cpu,
    ids,
    env: childEnv,
    fallbackInFlight: options.concurrency ?? 512,
  });
  let lastPrint = Date.now();
  await waitUntil(
    () => {
      if (Date.now() - lastPrint > 30_000) {
        lastPrint = Date.now();
        console.log(`  … ${lossAndDuplicates(telegram, ids).delivered} / ${chats} delivered`);
      }
      return telegram.calls.length - callsBefore >= chats && lossAndDuplicates(telegram, ids).lost === 0;
    },
    Math.max(60_000, (chats / 150) * 1000 + 60_000),
    `${chats} paid deliveries (have ${lossAndDuplicates(telegram, ids).delivered})`,
    50,
  );
  const final = await child.report();
  const emulatorCpu = process.cpuUsage(emulatorCpu0);
  await new Promise((r) => setTimeout(r, 500)); // any late duplicate
  const counts = lossAndDuplicates(telegram, ids);
  const sends = sendsSince(telegram, callsBefore);
  const times = sends.map((s) => s.at).sort((a, b) => a - b);
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  const sendSeconds = (last - first) / 1000;
  const messagesPerSecond = sendSeconds > 0 ? (times.length - 1) / sendSeconds : 0;
  const gaps = times
    .slice(1)
    .map((t, i) => t - (times[i] as number))
    .sort((a, b) => a - b);
  const calls = telegram.calls.length - callsBefore;
  const botCpuMs = (final.cpu.user - cpu0.user + final.cpu.system - cpu0.system) / 1000 + killedCpuMs;
  const stars = telegram.starsAccount;
  const run: PaidBroadcastRun = {
    chats,
    sendRateLimit,
    freeRate,
    latency: latency ? "telegram" : "none",
    concurrency: options.concurrency ?? "default",
    delivered: counts.delivered,
    lost: counts.lost,
    duplicates: counts.duplicates,
    sendSeconds: round(sendSeconds, 2),
    messagesPerSecond: round(messagesPerSecond, 1),
    fractionOfLimit: round(messagesPerSecond / sendRateLimit, 3),
    tooManyRequests: telegram.tooManyRequests,
    tooManyRequestsByCause: { ...telegram.tooManyRequestsByCause },
    maxInAnySecondAtServer: {
      all: telegram.arrivals.maxInWindow("all"),
      free: telegram.arrivals.maxInWindow("free"),
      paid: telegram.arrivals.maxInWindow("paid"),
    },
    flagged: telegram.arrivals.paid.length,
    billed: stars?.billed ?? 0,
    starsSpent: round(1_000_000 - (stars?.balance ?? 1_000_000), 1),
    estimatedStars:
      estimateBroadcast(chats, { freePerSecond: freeRate, paidPerSecond: sendRateLimit }).paid?.stars ?? 0,
    enqueueSeconds,
    latencyDrawnMeanMs: round((telegram.latencyDrawnMs - latencyBefore) / Math.max(1, calls), 1),
    botCpuMs: Math.round(botCpuMs),
    botCpuUsPerMessage: round((botCpuMs * 1000) / Math.max(1, counts.delivered), 0),
    botCpuCoreShare: round(botCpuMs / 1000 / Math.max(0.001, sendSeconds), 2),
    botPeakRssMB: round(Math.max(final.peakRssBytes, killedPeakRss) / 1048576, 1),
    emulatorCpuMs: Math.round((emulatorCpu.user + emulatorCpu.system) / 1000),
    arrivalGapP99Ms: round(percentile(gaps, 99), 2),
    ...(kill ? { kill } : {}),
  };
  await child.stop();
  await stopStage(stage);
  return run;
}

export function describePaidRun(name: string, r: PaidBroadcastRun): void {
  console.log(
    `  ${name}: ${r.delivered} delivered in ${r.sendSeconds} s → ${r.messagesPerSecond} msg/s ` +
      `(${round(r.fractionOfLimit * 100)}% of ${r.sendRateLimit}/s), 429s ${r.tooManyRequests} ` +
      `${JSON.stringify(r.tooManyRequestsByCause)}, lost ${r.lost}, duplicates ${r.duplicates}` +
      (r.kill ? ` (SIGKILL after ${r.kill.afterSends} sends, ≤ ${r.kill.allowedDuplicates} allowed)` : ""),
  );
  console.log(
    `    max in any 1 s at the server: all ${r.maxInAnySecondAtServer.all}, unpaid ${r.maxInAnySecondAtServer.free}, ` +
      `paid ${r.maxInAnySecondAtServer.paid}; flagged ${r.flagged}, billed ${r.billed} (${r.starsSpent} ⭐; ` +
      `estimate shown: at most ${r.estimatedStars} ⭐); mean round trip ${r.latencyDrawnMeanMs} ms`,
  );
  console.log(
    `    bot CPU ${r.botCpuMs} ms (${r.botCpuUsPerMessage} µs/msg, ${r.botCpuCoreShare} cores), peak RSS ${r.botPeakRssMB} MB; ` +
      `emulator CPU ${r.emulatorCpuMs} ms`,
  );
}
