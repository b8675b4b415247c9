/**
 * A busy morning, end to end (issue 19): the real bot process (src/main.ts) against the Telegram
 * emulator with Telegram's limits and latency, a throwaway Redis, the local NBK and a feed
 * server. A story goes out to the subscribers at SEND_RATE_LIMIT while people ask /rates and one
 * chat floods the bot with /rates. Reports the 429s by cause, reply latency for people, the
 * fan-out's rate against what the budget leaves it, the bot's CPU, and charts drawn per /rates.
 *
 *   npm run bench -- --only load            both scenarios (~2 min)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { redisKeys } from "../src/storage/keys.js";
import { spawnBot, TEST_TOKEN } from "../test/support/botProcess.js";
import { FeedServer } from "../test/support/feedServer.js";
import { NbkServer } from "../test/support/nbkServer.js";
import { freePort, ThrowawayRedis } from "../test/support/redis.js";
import { rssFeed } from "../test/support/rssFeed.js";
import {
  TELEGRAM_LATENCY,
  TELEGRAM_LIMITS,
  TelegramEmulator,
  type TestUser,
} from "../test/support/telegramEmulator.js";
import { onCleanup, percentile, range, round, sleep, subscribeMany, waitUntil } from "./support.js";

export type LoadScenario = {
  label: string;
  subscribers: number;
  sendRateLimit: number;
  /** People asking /rates, each `requestsPerPerson` times, spread evenly over `spreadMs`. */
  people: number;
  requestsPerPerson: number;
  /** 0: every person's first request at the same moment. */
  spreadMs: number;
  /** One chat sending /rates `requests` times over `overMs`. */
  flooder: { requests: number; overMs: number };
  /** The people's reply p99 to reach, in milliseconds. */
  replyP99TargetMs: number;
};

/** The scenario: 300 subscribers, 40 people × 5 /rates in 5 s, one chat × 60 in 6 s. */
export const MORNING: LoadScenario = {
  label: "morning",
  subscribers: 300,
  sendRateLimit: 25,
  people: 40,
  requestsPerPerson: 5,
  spreadMs: 5000,
  flooder: { requests: 60, overMs: 6000 },
  replyP99TargetMs: 3000,
};

/** Harsher: 200 people asking /rates at the same moment, during the same fan-out and flood. */
export const CROWD: LoadScenario = {
  label: "crowd",
  subscribers: 300,
  sendRateLimit: 25,
  people: 200,
  requestsPerPerson: 1,
  spreadMs: 0,
  flooder: { requests: 60, overMs: 6000 },
  // 200 answers at 25 a second: the last cannot leave before 8 s, whatever the bot does; 1.5 s
  // more for the round trip's tail.
  replyP99TargetMs: (200 / 25) * 1000 + 1500,
};

export type LoadRun = {
  scenario: LoadScenario;
  /** False when the run hit its deadline before every person and subscriber was served. */
  complete: boolean;
  tooManyRequests: { total: number; global: number; chat: number; group: number; paid: number };
  /** 429s the bot itself counted (kzuz_telegram_429_total), replies and deliveries. */
  bot429: number;
  people: {
    requests: number;
    /** Requests followed by the rates (a chart with its caption) in the person's chat. */
    answered: number;
    /** Messages the people received: fewer than requests when a repeat shared an answer on its way. */
    messages: number;
    /** Answered with something else (an error message). */
    otherAnswers: number;
    latencyMs: { p50: number; p99: number; max: number };
  };
  flooder: {
    requests: number;
    /** Messages the flooder's chat received (answers and the notice). */
    messages: number;
    /** Every API call the bot made for the flooder's chat (sends, 429'd attempts, chat actions). */
    apiCalls: number;
  };
  updatesSuppressed: number;
  /** Repeats of a command served by the answer already on its way (kzuz_updates_suppressed_total{kind="repeat"}). */
  repeatsServed: number;
  /** Error log lines of the bot by message and Telegram description, e.g. a reply that ran out of retries. */
  botErrors: Record<string, number>;
  fanOut: {
    delivered: number;
    lost: number;
    seconds: number;
    messagesPerSecond: number;
    fractionOfLimit: number;
    /** Fan-out sends / (limit × fan-out time − reply sends in that time): its share of what was left. */
    fractionOfBudgetLeft: number;
  };
  bot: { cpuMs: number; cpuCoreShare: number; seconds: number };
  /** Renders and hits as the bot counts them; uploads as the emulator saw them (PNG bytes received). */
  charts: { renders: number; cacheHits: number; rendersPerRatesRequest: number; uploads: number };
};

const STORY = {
  title: "Казахстан и Узбекистан договорились довести товарооборот до 10 млрд долларов",
  summary: "Премьер-министры двух стран подписали дорожную карту по расширению торговли и экспорта.",
  link: "https://outlet-a.test/news/trade-10bn-load",
};
const LANGUAGE_CODES = ["ru", "kk", "uz", "en"] as const;
const SUBSCRIBER_BASE = 40_000_000;
const PERSON_BASE = 41_000_000;
const FLOODER_ID = 42_000_000;
const RUN_DEADLINE_MS = 180_000;

/** Scrapes the bot's /metrics: a sample's value by its full name with labels (NaN when absent). */
async function scrape(url: string): Promise<(sample: string) => number> {
  const text = await (await fetch(url)).text();
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const at = line.lastIndexOf(" ");
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return (sample) => values.get(sample) ?? Number.NaN;
}

const sumSuppressed = (m: (s: string) => number) =>
  (m('kzuz_updates_suppressed_total{kind="message"}') || 0) +
  (m('kzuz_updates_suppressed_total{kind="callback"}') || 0);
const repeatsOf = (m: (s: string) => number) => m('kzuz_updates_suppressed_total{kind="repeat"}') || 0;

/** Runs one scenario against a fresh Redis, emulator and bot process; everything is stopped after. */
export async function runLoad(scenario: LoadScenario, latency = TELEGRAM_LATENCY): Promise<LoadRun> {
  const redisServer = await ThrowawayRedis.start();
  onCleanup(() => redisServer.stop());
  const client = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  client.on("error", () => {});
  onCleanup(() => client.disconnect());
  // Set up at full speed; Telegram's latency and limits are turned on for the run itself.
  const telegram = await TelegramEmulator.start(TEST_TOKEN, { latency: false, limits: false });
  onCleanup(() => telegram.stop());
  telegram.files.strict = true;
  const nbk = await NbkServer.start();
  onCleanup(() => nbk.stop());
  const feeds = await FeedServer.start();
  onCleanup(() => feeds.close());
  const feedPath = "/load.xml";
  feeds.route(feedPath, { body: rssFeed("Outlet A", []) });

  const keys = redisKeys("load");
  const subscriberIds = range(SUBSCRIBER_BASE, scenario.subscribers);
  await subscribeMany(client, keys, subscriberIds);

  const dir = mkdtempSync(join(tmpdir(), "kzuz-load-"));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const feedsFile = join(dir, "feeds.json");
  writeFileSync(
    feedsFile,
    JSON.stringify([{ id: "outlet-a", outlet: "Outlet A", language: "ru", url: feeds.url(feedPath) }]),
  );
  const port = await freePort();
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  const bot = spawnBot({
    BOT_TOKEN: TEST_TOKEN,
    REDIS_URL: redisServer.url,
    REDIS_PREFIX: keys.prefix,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    NBK_RATES_URL: nbk.url,
    FEEDS_FILE: feedsFile,
    POLL_CRON: "*/2 * * * * *",
    SEND_RATE_LIMIT: String(scenario.sendRateLimit),
    HTTP_PORT: String(port),
    LOG_LEVEL: "warn",
  });
  onCleanup(() => bot.kill());
  await telegram.waitFor(
    () => telegram.callsOf("getUpdates").length > 0 || bot.child.exitCode !== null,
    30_000,
    "the bot to poll",
  );
  if (bot.child.exitCode !== null) throw new Error(`bot exited early:\n${bot.output().stderr}`);
  // The chart needs the history the bot backfills on its first start.
  await waitUntil(async () => (await client.zcard(keys.ratesDates)) >= 50, 60_000, "the rates backfill");

  // Telegram as it is from here on: limits counted on arrival, ~150 ms round trips.
  telegram.enforceLimits(TELEGRAM_LIMITS);
  telegram.setLatency(latency);
  const limited0 = { ...telegram.tooManyRequestsByCause };
  const calls0 = telegram.calls.length;
  const uploads0 = telegram.files.uploads;
  const before = await scrape(metricsUrl);

  const people = range(PERSON_BASE, scenario.people).map((id, i) =>
    telegram.user(id, { languageCode: LANGUAGE_CODES[i % LANGUAGE_CODES.length] as string }),
  );
  const flooder = telegram.user(FLOODER_ID, { languageCode: "ru" });
  const sentAt = new Map<number, number[]>();
  const lastAsked = (user: TestUser) => sentAt.get(user.id)?.at(-1) ?? Number.POSITIVE_INFINITY;
  // A request is answered by the first message in its chat after it: the answer to it, or to the
  // same command asked just before, which the bot lets serve both.
  const answeredAfter = (user: TestUser, asked: number) => user.messages().find((m) => m.at >= asked);
  const ask = (user: TestUser) => {
    user.send("/rates");
    const times = sentAt.get(user.id) ?? [];
    times.push(performance.now());
    sentAt.set(user.id, times);
  };

  // The story goes out; people start asking once its first message has arrived.
  const published = new Date(Date.now() - 10 * 60_000);
  feeds.route(feedPath, {
    body: rssFeed("Outlet A", [
      { title: STORY.title, link: STORY.link, description: `<p>${STORY.summary}</p>`, published },
    ]),
  });
  const isSubscriber = (chatId: number) =>
    chatId >= SUBSCRIBER_BASE && chatId < SUBSCRIBER_BASE + scenario.subscribers;
  await telegram.waitFor(
    () => subscriberIds.some((id) => telegram.countTo(id) > 0),
    30_000,
    "the fan-out to start",
  );
  const t0 = performance.now();
  const timers: NodeJS.Timeout[] = [];
  const step = scenario.spreadMs / scenario.requestsPerPerson;
  people.forEach((person, i) => {
    const offset = scenario.spreadMs > 0 ? (i / scenario.people) * step : 0;
    for (let k = 0; k < scenario.requestsPerPerson; k++) {
      timers.push(setTimeout(() => ask(person), offset + k * step));
    }
  });
  for (let k = 0; k < scenario.flooder.requests; k++) {
    timers.push(setTimeout(() => ask(flooder), (k * scenario.flooder.overMs) / scenario.flooder.requests));
  }

  const lastRequestAt = Math.max(scenario.spreadMs, scenario.flooder.overMs);
  let complete = true;
  try {
    await waitUntil(
      () =>
        performance.now() - t0 > lastRequestAt &&
        people.every((p) => answeredAfter(p, lastAsked(p)) !== undefined) &&
        subscriberIds.every((id) => telegram.countTo(id) > 0),
      RUN_DEADLINE_MS,
      "every person answered and every subscriber reached",
      100,
    );
    // A late answer to the flooder would show up within this.
    await sleep(3000);
  } catch (err) {
    complete = false;
    console.log(`  ${(err as Error).message}; reporting what happened`);
  }
  for (const t of timers) clearTimeout(t);
  const seconds = (performance.now() - t0) / 1000;
  const after = await scrape(metricsUrl);

  // People: each request's latency is until the first message after it in the person's chat.
  const latencies: number[] = [];
  let answered = 0;
  let errors = 0;
  for (const person of people) {
    for (const asked of sentAt.get(person.id) ?? []) {
      const m = answeredAfter(person, asked);
      if (!m) continue;
      // A rates answer is the chart with the rates as its caption; anything else is an error text.
      if (m.method === "sendPhoto") answered++;
      else errors++;
      latencies.push(m.at - asked);
    }
  }
  latencies.sort((a, b) => a - b);

  const calls = telegram.calls.slice(calls0);
  const sends = calls.filter((c) => c.status === 200 && /^send(Message|Photo)$/.test(c.method));
  const fanOutTimes = sends
    .filter((c) => isSubscriber(Number(c.params.chat_id)))
    .map((c) => c.at)
    .sort((a, b) => a - b);
  const first = fanOutTimes[0] ?? 0;
  const last = fanOutTimes.at(-1) ?? 0;
  const fanOutSeconds = (last - first) / 1000;
  const repliesDuring = sends.filter(
    (c) => !isSubscriber(Number(c.params.chat_id)) && c.at >= first && c.at <= last,
  ).length;
  const budgetLeft = scenario.sendRateLimit * fanOutSeconds - repliesDuring;
  const delivered = subscriberIds.filter((id) => telegram.countTo(id) > 0).length;

  const limited = telegram.tooManyRequestsByCause;
  const delta = (cause: keyof typeof limited) => limited[cause] - limited0[cause];
  const uploads = telegram.files.uploads - uploads0;
  // A bot without the render counter (before chartCache.ts) draws once per upload.
  const renders = after("kzuz_chart_renders_total") - before("kzuz_chart_renders_total") || uploads;
  const ratesRequests = scenario.people * scenario.requestsPerPerson + scenario.flooder.requests;
  const cpuMs = (after("process_cpu_seconds_total") - before("process_cpu_seconds_total")) * 1000;

  await bot.stop();
  const botErrors = errorsLogged(`${bot.output().stdout}\n${bot.output().stderr}`);
  await Promise.all([telegram.stop(), nbk.stop(), feeds.close()]);
  client.disconnect();
  await redisServer.stop();

  return {
    scenario,
    complete,
    tooManyRequests: {
      total: delta("global") + delta("chat") + delta("group") + delta("paid") + delta("fault"),
      global: delta("global"),
      chat: delta("chat"),
      group: delta("group"),
      paid: delta("paid"),
    },
    bot429: after("kzuz_telegram_429_total") - before("kzuz_telegram_429_total"),
    people: {
      requests: scenario.people * scenario.requestsPerPerson,
      answered,
      messages: people.reduce((n, p) => n + p.messages().length, 0),
      otherAnswers: errors,
      latencyMs: {
        p50: Math.round(percentile(latencies, 50)),
        p99: Math.round(percentile(latencies, 99)),
        max: Math.round(latencies.at(-1) ?? Number.NaN),
      },
    },
    flooder: {
      requests: scenario.flooder.requests,
      messages: flooder.messages().length,
      apiCalls: calls.filter((c) => Number(c.params.chat_id) === FLOODER_ID).length,
    },
    updatesSuppressed: sumSuppressed(after) - sumSuppressed(before),
    repeatsServed: repeatsOf(after) - repeatsOf(before),
    botErrors,
    fanOut: {
      delivered,
      lost: scenario.subscribers - delivered,
      seconds: round(fanOutSeconds, 2),
      messagesPerSecond: round(fanOutSeconds > 0 ? (fanOutTimes.length - 1) / fanOutSeconds : 0, 1),
      fractionOfLimit: round(
        fanOutSeconds > 0 ? (fanOutTimes.length - 1) / fanOutSeconds / scenario.sendRateLimit : 0,
        3,
      ),
      fractionOfBudgetLeft: round(budgetLeft > 0 ? (fanOutTimes.length - 1) / budgetLeft : 0, 3),
    },
    bot: {
      cpuMs: Math.round(cpuMs),
      cpuCoreShare: round(cpuMs / 1000 / seconds, 2),
      seconds: round(seconds, 1),
    },
    charts: {
      renders,
      cacheHits: after("kzuz_chart_cache_hits_total") - before("kzuz_chart_cache_hits_total"),
      rendersPerRatesRequest: round(renders / ratesRequests, 3),
      uploads,
    },
  };
}

/** Counts the bot's error-level log lines (pino JSON) by message and Telegram's description. */
function errorsLogged(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as {
        level?: number;
        msg?: string;
        description?: string;
        method?: string;
      };
      if ((entry.level ?? 0) < 50) continue;
      const key = [entry.msg, entry.method, entry.description].filter(Boolean).join(": ");
      counts[key] = (counts[key] ?? 0) + 1;
    } catch {
      // not a log line
    }
  }
  return counts;
}

export function describeLoad(r: LoadRun): void {
  const s = r.scenario;
  console.log(
    `  ${s.label}: ${s.subscribers} subscribers at ${s.sendRateLimit}/s, ${s.people} people × ${s.requestsPerPerson} /rates ` +
      `over ${s.spreadMs / 1000} s, one chat × ${s.flooder.requests} over ${s.flooder.overMs / 1000} s` +
      (r.complete ? "" : " (INCOMPLETE: deadline reached)"),
  );
  console.log(
    `    429s ${r.tooManyRequests.total} (global ${r.tooManyRequests.global}, chat ${r.tooManyRequests.chat}); ` +
      `people answered ${r.people.answered}/${r.people.requests} (+${r.people.otherAnswers} other) with ` +
      `${r.people.messages} messages (${r.repeatsServed} repeats served by an answer on its way), reply p50 ${r.people.latencyMs.p50} ms, ` +
      `p99 ${r.people.latencyMs.p99} ms, max ${r.people.latencyMs.max} ms`,
  );
  console.log(
    `    flooder: ${r.flooder.messages} messages from ${r.flooder.requests} requests (${r.flooder.apiCalls} API calls), ` +
      `${r.updatesSuppressed} updates suppressed`,
  );
  console.log(
    `    fan-out: ${r.fanOut.delivered}/${s.subscribers} in ${r.fanOut.seconds} s → ${r.fanOut.messagesPerSecond} msg/s ` +
      `(${round(r.fanOut.fractionOfLimit * 100)}% of the limit, ${round(r.fanOut.fractionOfBudgetLeft * 100)}% of what replies left)`,
  );
  for (const [what, count] of Object.entries(r.botErrors)) console.log(`    bot logged ${count} × ${what}`);
  console.log(
    `    bot CPU ${r.bot.cpuMs} ms over ${r.bot.seconds} s (${r.bot.cpuCoreShare} cores); charts drawn ${r.charts.renders}, ` +
      `uploaded ${r.charts.uploads}, sent by file_id ${r.charts.cacheHits}, ${r.charts.rendersPerRatesRequest} renders per /rates`,
  );
}
