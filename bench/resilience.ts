/**
 * `npm run resilience`: the delivery engine and the poller under the faults production will see,
 * each scripted and bounded, against the Telegram emulator and throwaway Redis servers.
 *
 * 1. SIGKILL of the delivery process during a 10,000-chat fan-out, then a restart.
 * 2. Redis killed (SIGKILL) and restarted during a fan-out (append-only, fsync always: what Redis
 *    acknowledged survives).
 * 3. Telegram answering 10% 5xx and random 429s.
 * 4. A corpus of hostile feeds (malformed, huge, entity bombs, wrong encodings, endless
 *    redirects, slow, …) in one real poll cycle beside good feeds.
 *
 * Targets: messages lost 0; duplicates at most the sends in flight (the worker's concurrency);
 * feeds that broke the poller 0. Prints a table, writes bench/results/resilience.json, and exits
 * non-zero when a target is broken. Whole suite bounded at 10 minutes.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { classifyItem } from "../src/news/classify.js";
import { RedisFeedHealthStore } from "../src/news/feedHealth.js";
import { fetchFeed } from "../src/news/fetchFeed.js";
import { type CycleReport, type PollCycleDeps, runPollCycle } from "../src/news/pollCycle.js";
import { RedisStoryStore } from "../src/news/storyStore.js";
import type { FeedConfig } from "../src/news/types.js";
import { type RedisKeys, redisKeys } from "../src/storage/keys.js";
import { type FeedRoute, FeedServer } from "../test/support/feedServer.js";
import { TELEGRAM_LATENCY } from "../test/support/telegramEmulator.js";
import {
  type BenchStage,
  benchStory,
  type DeliveryChild,
  FAST_TAKEOVER,
  lossAndDuplicates,
  onCleanup,
  printTable,
  range,
  rateEnv,
  round,
  runBounded,
  saveStory,
  silentLogger,
  sleep,
  spawnDeliveryChild,
  startStage,
  subscribeMany,
  waitReady,
  waitUntil,
  writeResult,
} from "./support.js";

type Row = {
  scenario: string;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  allowedDuplicates: number;
  brokePoller: number;
  seconds: number;
  notes: string;
  pass: boolean;
};

type Stage = BenchStage;

/** The child's environment for these scenarios: fast takeover of a killed process's work. */
function childEnv(stage: Stage, keys: RedisKeys, env: Record<string, string>): Record<string, string> {
  return stage.childEnv(keys, { ...FAST_TAKEOVER, ...env });
}

/** Waits until every chat has at least one message, then a little for late duplicates. */
async function waitAllServed(stage: Stage, ids: number[], timeoutMs: number, children: DeliveryChild[]) {
  await waitUntil(
    () => {
      if (children.every((c) => c.child.exitCode !== null || c.child.signalCode !== null)) {
        throw new Error(`delivery process died: ${children.at(-1)?.stderr().slice(-1500)}`);
      }
      return lossAndDuplicates(stage.telegram, ids).lost === 0;
    },
    timeoutMs,
    `every chat served (${ids.length - lossAndDuplicates(stage.telegram, ids).lost} of ${ids.length})`,
    100,
  ).catch(() => {
    // Reported as lost messages below, not as a crash of the suite.
  });
  await sleep(1500);
}

// ------------------------------------------------------------------------------ 1. SIGKILL

async function sigkillMidFanOut(stage: Stage): Promise<Row> {
  const n = 10_000;
  const concurrency = 16;
  const keys = redisKeys("res-kill");
  const ids = range(60_000_000, n);
  await subscribeMany(stage.client, keys, ids);
  const story = benchStory("res-kill");
  await saveStory(stage.client, keys, story);
  const env = { ...rateEnv(500), DELIVERY_CONCURRENCY: String(concurrency), DELIVERY_BATCH: "100" };
  const started = performance.now();

  const first = spawnDeliveryChild(childEnv(stage, keys, { ...env, FANOUT_STORY_IDS: story.id }));
  await waitReady(first);
  // Early, so the walk (100 subscribers a batch) is usually still running: both must resume.
  await waitUntil(() => n - lossAndDuplicates(stage.telegram, ids).lost >= 150, 60_000, "first sends", 5);
  await first.kill();
  const atKill = n - lossAndDuplicates(stage.telegram, ids).lost;
  const walkUnfinished = (await stage.client.hexists(keys.deliveryFanOuts, story.id)) === 1;

  const second = spawnDeliveryChild(childEnv(stage, keys, env));
  // 16 in flight at Telegram's round trip (mean ~200 ms) is about 80 a second: 10,000 take ~2 min.
  await waitAllServed(stage, ids, 300_000, [second]);
  const counts = lossAndDuplicates(stage.telegram, ids);
  const pendingWalks = await stage.client.hlen(keys.deliveryFanOuts);
  await second.stop();
  return {
    scenario: "SIGKILL mid fan-out (10,000 chats), restart",
    expected: n,
    delivered: counts.delivered,
    lost: counts.lost,
    duplicates: counts.duplicates,
    allowedDuplicates: concurrency,
    brokePoller: 0,
    seconds: round((performance.now() - started) / 1000),
    notes: `killed after ${atKill} sends, walk ${walkUnfinished ? "unfinished" : "finished"}; walks left ${pendingWalks}`,
    pass: counts.lost === 0 && counts.duplicates <= concurrency && pendingWalks === 0,
  };
}

// ------------------------------------------------------------------------------ 2. Redis restart

async function redisRestartMidFanOut(stage: Stage): Promise<Row> {
  const n = 3000;
  const concurrency = 16;
  const keys = redisKeys("res-redis");
  const ids = range(61_000_000, n);
  await subscribeMany(stage.client, keys, ids);
  const story = benchStory("res-redis");
  await saveStory(stage.client, keys, story);
  const started = performance.now();

  const child = spawnDeliveryChild(
    childEnv(stage, keys, {
      ...rateEnv(300),
      DELIVERY_CONCURRENCY: String(concurrency),
      DELIVERY_BATCH: "100",
      FANOUT_STORY_IDS: story.id,
    }),
  );
  await waitReady(child);
  await waitUntil(() => n - lossAndDuplicates(stage.telegram, ids).lost >= 600, 60_000, "first sends", 20);
  const atKill = n - lossAndDuplicates(stage.telegram, ids).lost;
  await stage.server.kill();
  await sleep(1000); // Redis down for a second: the engine must wait, not drop work
  await stage.server.restart({ appendOnly: true });
  const afterRestart = n - lossAndDuplicates(stage.telegram, ids).lost;
  await waitAllServed(stage, ids, 120_000, [child]);
  const counts = lossAndDuplicates(stage.telegram, ids);
  const alive = child.child.exitCode === null && child.child.signalCode === null;
  const stderr = child.stderr().trim();
  if (stderr) console.log(`  delivery process stderr (last 600 chars): ${stderr.slice(-600)}`);
  await child.stop();
  // Each in-flight send may repeat once; so may each send whose ledger write Redis never acknowledged.
  const allowed = concurrency;
  return {
    scenario: "Redis SIGKILL + restart mid fan-out (3,000 chats, AOF)",
    expected: n,
    delivered: counts.delivered,
    lost: counts.lost,
    duplicates: counts.duplicates,
    allowedDuplicates: allowed,
    brokePoller: 0,
    seconds: round((performance.now() - started) / 1000),
    notes: `Redis killed after ${atKill} sends (${afterRestart - atKill} more by the time it was back); engine ${alive ? "kept running" : "DIED"}${stderr ? "; it logged to stderr" : ""}`,
    pass: counts.lost === 0 && counts.duplicates <= allowed && alive,
  };
}

// ------------------------------------------------------------------------------ 3. Telegram faults

async function telegramFaults(stage: Stage): Promise<Row> {
  const n = 2000;
  const concurrency = 16;
  const keys = redisKeys("res-faults");
  const ids = range(62_000_000, n);
  await subscribeMany(stage.client, keys, ids);
  const story = benchStory("res-faults");
  await saveStory(stage.client, keys, story);
  const started = performance.now();
  const limitedBefore = stage.telegram.tooManyRequests;
  const callsBefore = stage.telegram.calls.length;
  stage.telegram.setRandomFaults({ serverError: 0.1, tooManyRequests: 0.005 });
  try {
    const child = spawnDeliveryChild(
      childEnv(stage, keys, {
        ...rateEnv(200),
        DELIVERY_CONCURRENCY: String(concurrency),
        DELIVERY_BACKOFF_MS: "100",
        FANOUT_STORY_IDS: story.id,
      }),
    );
    await waitReady(child);
    await waitAllServed(stage, ids, 150_000, [child]);
    const report = await child.report();
    await child.stop();
    const counts = lossAndDuplicates(stage.telegram, ids);
    const calls = stage.telegram.calls.slice(callsBefore);
    const serverErrors = calls.filter((c) => c.status === 502).length;
    const limited = stage.telegram.tooManyRequests - limitedBefore;
    return {
      scenario: "Telegram: 10% 5xx + 0.5% random 429s (2,000 chats)",
      expected: n,
      delivered: counts.delivered,
      lost: counts.lost,
      duplicates: counts.duplicates,
      allowedDuplicates: 0,
      brokePoller: 0,
      seconds: round((performance.now() - started) / 1000),
      notes: `${serverErrors} × 5xx, ${limited} × 429 answered; retries ${report.events.retrying ?? 0}, dead letters ${report.events["dead-letter"] ?? 0}`,
      pass: counts.lost === 0 && counts.duplicates === 0,
    };
  } finally {
    stage.telegram.setRandomFaults({});
  }
}

// ------------------------------------------------------------------------------ 4. hostile feeds

const HOUR = 3_600_000;

function goodRss(name: string, now: Date): string {
  const items = [
    "Казахстан и Узбекистан подписали соглашение о поставках газа на $1,5 млрд",
    "Kazakhstan and Uzbekistan agree on a new Darbaza — Maktaaral railway",
    "Товарооборот Узбекистана и Казахстана вырос до $4 млрд",
  ]
    .map(
      (title, i) =>
        `<item><title>${title}</title><link>https://${name}.example/${i}</link><guid>https://${name}.example/${i}</guid><description>${title}. Министры обеих стран.</description><pubDate>${new Date(now.getTime() - (i + 1) * HOUR).toUTCString()}</pubDate></item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${name}</title><link>https://${name}.example/</link><description>x</description>${items}</channel></rss>`;
}

/** Hostile answers by name; each must end as that feed's failure (or harmless items), nothing more. */
function hostileRoutes(now: Date): Record<string, FeedRoute> {
  const item = (title: string) =>
    `<item><title>${title}</title><link>https://h.example/${encodeURIComponent(title.slice(0, 20))}</link><pubDate>${now.toUTCString()}</pubDate></item>`;
  const rss = (body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>h</title>${body}</channel></rss>`;
  return {
    "malformed-truncated": { file: "truncated.xml" },
    "malformed-broken": { file: "kun-ru-broken.xml" },
    "malformed-unclosed-tags": { body: rss(`${item("a")}<item><title>b<description>`) },
    "huge-chunked-50MB": { streamBytes: 50 * 1024 * 1024 },
    "huge-declared-50MB": { streamBytes: 50 * 1024 * 1024, declareLength: true },
    "huge-title-4MB": { body: rss(item("Казахстан ".repeat(400_000))) },
    "many-items-20k": {
      body: rss(
        Array.from({ length: 20_000 }, (_, i) => item(`Казахстан и Узбекистан новость ${i}`)).join(""),
      ),
    },
    "deep-nesting": { body: rss(`${"<x>".repeat(50_000)}${"</x>".repeat(50_000)}`) },
    "entity-billion-laughs": { file: "billion-laughs.xml" },
    "entity-external": {
      body: `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title>${item("&xxe;")}</channel></rss>`,
    },
    "entity-numeric-flood": { body: rss(item("&#1050;".repeat(200_000))) },
    "encoding-cp1251-as-utf8": {
      file: "tengrinews-cp1251.utf8.xml",
      encoding: "windows-1251",
      contentType: "application/rss+xml; charset=utf-8",
    },
    "encoding-koi8r-undeclared": {
      file: "old-site-koi8r.utf8.xml",
      encoding: "koi8-r",
      contentType: "application/xml",
    },
    "encoding-utf16-no-bom": { body: Buffer.from(rss(item("Казахстан")), "utf16le") },
    "encoding-unknown-charset": {
      body: rss(item("x")),
      contentType: "application/rss+xml; charset=x-klingon",
    },
    "binary-garbage": { body: randomBytes(64 * 1024), contentType: "application/octet-stream" },
    "nul-and-control-chars": { body: rss(item("Kazakhstan\u0000\u0001\u0008 and Uzbekistan\u001b")) },
    "empty-200": { body: "" },
    "json-not-a-feed": { file: "not-a-feed.json", contentType: "application/json" },
    "html-challenge": {
      body: "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>",
      contentType: "text/html",
    },
    "status-403": { status: 403, body: "<h1>403</h1>", contentType: "text/html" },
    "status-500": { status: 500, body: "oops", contentType: "text/plain" },
    "status-302-no-location": { status: 302, body: "" },
    "redirect-loop": { redirectTo: "/hostile/redirect-loop" },
    "slow-60s": { delayMs: 60_000, body: rss(item("late")) },
    "bad-dates": { body: rss(item("Казахстан").replace(/<pubDate>[^<]*</, "<pubDate>31/02/99999 99:99<")) },
  };
}

async function hostileFeeds(client: Redis): Promise<Row> {
  const feedServer = await FeedServer.start();
  onCleanup(() => feedServer.close());
  const now = new Date();
  const good: FeedConfig[] = ["good-a", "good-b"].map((name) => ({
    id: name,
    url: feedServer.route(`/good/${name}`, { body: goodRss(name, now), etag: `"${name}"` }),
    outlet: name,
    language: "ru",
    defaultTopics: [],
  }));
  const routes = hostileRoutes(now);
  const hostile: FeedConfig[] = Object.entries(routes).map(([name, route]) => ({
    id: name,
    url: feedServer.route(`/hostile/${name}`, route),
    outlet: name,
    language: "ru",
    defaultTopics: [],
  }));
  const timeoutMs = 3000;

  const cycle = async (prefix: string, feeds: FeedConfig[], at: Date) => {
    const keys = redisKeys(prefix);
    const accepted: string[] = [];
    const deps: PollCycleDeps = {
      feeds,
      fetchFeed,
      classify: classifyItem,
      store: new RedisStoryStore(client, keys, silentLogger),
      health: new RedisFeedHealthStore(client, keys, silentLogger),
      sink: {
        async accept(story) {
          accepted.push(story.link);
        },
      },
      logger: silentLogger,
      options: { timeoutMs, concurrency: 8 },
    };
    const rss0 = process.memoryUsage.rss();
    const t = performance.now();
    let report: CycleReport | undefined;
    let error: string | undefined;
    try {
      report = await runPollCycle(deps, at);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    return {
      report,
      error,
      accepted,
      wallMs: performance.now() - t,
      rssGrowthMB: (process.memoryUsage.rss() - rss0) / 1048576,
    };
  };

  const started = performance.now();
  const baseline = await cycle("res-feeds-baseline", good, now);
  const mixed = await cycle("res-feeds-mixed", [...hostile, ...good], now);
  // The next cycle: failing feeds back off, good ones answer 304; the poller must still run.
  const next = await cycle("res-feeds-mixed", [...hostile, ...good], new Date(now.getTime() + 5 * 60_000));
  await feedServer.close();

  const lostStories = baseline.accepted.filter((link) => !mixed.accepted.includes(link));
  // A feed broke the poller if the cycle threw, if its own fetch overran the deadline, or if the
  // good feeds did not come through (checked as lost stories).
  const deadlineMs = timeoutMs + 1500;
  const broke: string[] = [];
  if (mixed.error || !mixed.report) broke.push(`cycle threw: ${mixed.error}`);
  if (next.error || !next.report) broke.push(`next cycle threw: ${next.error}`);
  for (const outcome of mixed.report?.feeds ?? []) {
    if (outcome.durationMs > deadlineMs) broke.push(`${outcome.feedId} took ${outcome.durationMs} ms`);
  }
  if (mixed.rssGrowthMB > 150) broke.push(`memory grew ${round(mixed.rssGrowthMB)} MB`);
  const outcomes = (mixed.report?.feeds ?? [])
    .filter((o) => o.feedId in routes)
    .map((o) => ({
      feed: o.feedId,
      status: o.status,
      items: o.items,
      accepted: o.accepted,
      ms: o.durationMs,
      reason: (o.reason ?? "").slice(0, 70),
    }));
  console.log("  hostile feeds, first cycle:");
  printTable(outcomes);
  const failed = outcomes.filter((o) => o.status === "failed").length;
  const nextTotals = next.report?.totals;
  return {
    scenario: `Hostile feeds (${hostile.length}) + 2 good feeds, real poll cycle`,
    expected: baseline.accepted.length,
    delivered: baseline.accepted.length - lostStories.length,
    lost: lostStories.length,
    duplicates: 0,
    allowedDuplicates: 0,
    brokePoller: broke.length,
    seconds: round((performance.now() - started) / 1000),
    notes:
      `cycle ${Math.round(mixed.wallMs)} ms, RSS +${round(mixed.rssGrowthMB)} MB; ${failed} failed cleanly; ` +
      `next cycle ${Math.round(next.wallMs)} ms: ${nextTotals?.backingOff ?? "?"} backing off, ${nextTotals?.notModified ?? "?"} × 304` +
      (broke.length > 0 ? `; BROKE: ${broke.join("; ")}` : ""),
    pass: lostStories.length === 0 && broke.length === 0 && baseline.accepted.length > 0,
  };
}

// ------------------------------------------------------------------------------ the suite

const SCENARIOS = ["kill", "redis", "faults", "feeds"] as const;

async function main(): Promise<number> {
  const onlyArg = process.argv.indexOf("--only");
  const only = onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? "").split(",") : [...SCENARIOS];
  const rows: Row[] = [];
  // As slow as Telegram, without its limits: these scenarios test what survives a fault, at rates
  // above the free 30 a second (--zero-latency: answers in microseconds, as until 2026-12-04).
  const stage = await startStage({
    limits: false,
    latency: process.argv.includes("--zero-latency") ? false : TELEGRAM_LATENCY,
  });
  const { telegram } = stage;
  const plain = stage;

  const run = async (name: (typeof SCENARIOS)[number], scenario: () => Promise<Row>) => {
    if (!only.includes(name)) return;
    console.log(`\n▶ ${name}`);
    const row = await scenario();
    console.log(
      `  ${row.pass ? "PASS" : "FAIL"}: lost ${row.lost}, duplicates ${row.duplicates} (≤ ${row.allowedDuplicates}), broke poller ${row.brokePoller}; ${row.notes}`,
    );
    rows.push(row);
  };
  await run("kill", () => sigkillMidFanOut(stage));
  await run("redis", async () => {
    return redisRestartMidFanOut(await startStage({ appendOnly: true, telegram }));
  });
  await run("faults", () => telegramFaults(stage));
  await run("feeds", () => hostileFeeds(plain.client));

  console.log("\nResilience");
  printTable(
    rows.map((r) => ({
      scenario: r.scenario,
      expected: r.expected,
      lost: r.lost,
      duplicates: `${r.duplicates} (≤ ${r.allowedDuplicates})`,
      "broke poller": r.brokePoller,
      seconds: r.seconds,
      result: r.pass ? "pass" : "FAIL",
    })),
  );
  const path = writeResult("resilience", { date: new Date().toISOString(), node: process.version, rows });
  console.log(`\nwritten ${path}`);
  return rows.every((r) => r.pass) ? 0 : 1;
}

runBounded("resilience", 10 * 60_000, main);
