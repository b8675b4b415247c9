/**
 * The delivery engine alone in a process of its own, for the benchmarks: its CPU time and memory
 * are then the bot's, not the emulator's or Redis's. Started by `spawnDeliveryChild`
 * (bench/support.ts) with IPC; answers every "report" message with a `ChildReport`.
 *
 * Environment: the bot's (REDIS_URL, REDIS_PREFIX, BOT_TOKEN, TELEGRAM_API_ROOT, SEND_RATE_LIMIT,
 * PAID_BROADCAST, FREE_SEND_RATE_LIMIT), DELIVERY_RATE_LIMIT (a rate past SEND_RATE_LIMIT's checks)
 * plus FANOUT_STORY_IDS (stored stories to accept once started, one after the other),
 * DELIVERY_WORKER=0 (walk only, no sending), DELIVERY_CONCURRENCY, DELIVERY_LOCK_MS,
 * DELIVERY_STALLED_MS, DELIVERY_BATCH, DELIVERY_RESUME_MS, DELIVERY_FANOUT_LOCK_MS,
 * DELIVERY_BACKOFF_MS, DELIVERY_ATTEMPTS. SIGTERM stops it gracefully.
 */
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { closeRedis } from "../src/storage/redis.js";
import { startDeliveryFromEnv } from "../test/support/deliveryFromEnv.js";

export type ChildReport = {
  ready: boolean;
  /** process.cpuUsage() now, in µs. */
  cpu: { user: number; system: number };
  rssBytes: number;
  heapUsedBytes: number;
  /** Highest RSS sampled (every 50 ms) since the process started. */
  peakRssBytes: number;
  /** Epoch ms (sub-ms precision) each story's accept() started and returned (walk queued). */
  accepted: Array<{ storyId: string; startedAt: number; doneAt?: number }>;
  /** Delivery events by type (sent, retrying, rate-limited, …). */
  events: Record<string, number>;
  /** process.cpuUsage() when the first accept() started. */
  cpuAtFirstAccept?: { user: number; system: number };
  /** The worker's bound on sends in flight now (adaptive): what a SIGKILL may leave unrecorded. */
  inFlightLimit?: number;
};

const env = process.env;
const config = parseConfig(env);
const logger = createLogger({
  level: config.logLevel,
  secrets: config.botToken ? [config.botToken] : [],
  name: "bench-delivery",
});
const epochNow = () => performance.timeOrigin + performance.now();

const report: ChildReport = {
  ready: false,
  cpu: process.cpuUsage(),
  rssBytes: 0,
  heapUsedBytes: 0,
  peakRssBytes: 0,
  accepted: [],
  events: {},
};
// Set once delivery has started (a report may be asked for before).
let inFlightOf: () => number | undefined = () => undefined;
process.on("message", (message) => {
  // "report-gc" (with --expose-gc): collect first, to tell live memory from garbage not yet freed.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (message === "report-gc" && gc) gc();
  const memory = process.memoryUsage();
  report.cpu = process.cpuUsage();
  report.rssBytes = memory.rss;
  report.heapUsedBytes = memory.heapUsed;
  const inFlightLimit = inFlightOf();
  if (inFlightLimit !== undefined) report.inFlightLimit = inFlightLimit;
  process.send?.(report);
});

const { delivery, redis, stories } = await startDeliveryFromEnv(config, env, logger, {
  worker: env.DELIVERY_WORKER !== "0",
  onEvent: (event) => {
    report.events[event.type] = (report.events[event.type] ?? 0) + 1;
  },
});
inFlightOf = () => delivery.worker?.inFlightLimit;

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    void delivery
      .stop()
      .then(() => closeRedis(redis))
      .finally(() => process.exit(0));
  });
}

// Sampled from the start: a process that only drains queued jobs (a broadcast) has a peak too.
const sampler = setInterval(() => {
  report.peakRssBytes = Math.max(report.peakRssBytes, process.memoryUsage.rss());
}, 50);
sampler.unref();

const storyIds = (env.FANOUT_STORY_IDS ?? "").split(",").filter(Boolean);
if (storyIds.length === 0) report.ready = true;
else {
  report.cpuAtFirstAccept = process.cpuUsage();
  report.ready = true;
  for (const id of storyIds) {
    const story = await stories.getStory(id);
    if (!story) {
      logger.error({ storyId: id }, "no such story");
      continue;
    }
    const entry: ChildReport["accepted"][number] = { storyId: id, startedAt: epochNow() };
    report.accepted.push(entry);
    await delivery.sink.accept(story);
    entry.doneAt = epochNow();
  }
}
