import { classifyItem } from "../src/news/classify.js";
import { RedisFeedHealthStore } from "../src/news/feedHealth.js";
import { fetchFeed } from "../src/news/fetchFeed.js";
import { type ClassifyFn, type CycleReport, runPollCycle } from "../src/news/pollCycle.js";
import { RedisStoryStore } from "../src/news/storyStore.js";
import type { FeedConfig, FeedLanguage } from "../src/news/types.js";
import { redisKeys } from "../src/storage/keys.js";
import { FeedServer } from "../test/support/feedServer.js";
import { onCleanup, round, silentLogger, startStage } from "./support.js";

const FEEDS = 100;
const ITEMS = 50;
const CHANGED = 10;
const HOUR = 3_600_000;

const RU_RELEVANT = [
  "Казахстан и Узбекистан подписали соглашение о поставках газа",
  "Товарооборот Казахстана и Узбекистана вырос на треть",
  "Узбекистан и Казахстан откроют новый пункт пропуска на границе",
  "Министры энергетики Казахстана и Узбекистана обсудили водные ресурсы",
];
const EN_RELEVANT = [
  "Kazakhstan and Uzbekistan sign agreement on rail freight",
  "Uzbekistan and Kazakhstan launch joint tourism visa",
  "Trade between Kazakhstan and Uzbekistan reaches new record",
];
const RU_OTHER = [
  "В Ташкенте открылась новая станция метро",
  "В Алматы прошёл городской марафон",
  "Курс тенге укрепился на фоне цен на нефть",
  "В Самарканде реставрируют медресе",
];
const EN_OTHER = [
  "Tashkent opens a new metro station",
  "Almaty hosts international film festival",
  "Oil prices lift the tenge",
];

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One feed's RSS: 1 in 5 items is about the two countries, the rest is local news. */
function rss(feed: number, version: number, language: FeedLanguage, now: Date): string {
  const relevant = language === "en" ? EN_RELEVANT : RU_RELEVANT;
  const other = language === "en" ? EN_OTHER : RU_OTHER;
  const items: string[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const pool = i % 5 === 0 ? relevant : other;
    const title = `${pool[(feed + i) % pool.length]} (${feed}-${version}-${i})`;
    const link = `https://outlet${feed}.example/news/${version}/${i}`;
    const summary = `${title}. Подробности сообщает издание номер ${feed}; материал ${i} выпуска ${version}.`;
    items.push(`<item><title>${escapeXml(title)}</title><link>${link}</link><guid>${link}</guid>
<description>${escapeXml(summary)}</description>
<pubDate>${new Date(now.getTime() - ((i * 17 + feed) % 20) * HOUR).toUTCString()}</pubDate></item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Outlet ${feed}</title><link>https://outlet${feed}.example/</link><description>bench</description>
${items.join("\n")}
</channel></rss>`;
}

export type CycleFigures = {
  wallMs: number;
  cpuMs: number;
  feedsFetched: number;
  notModified: number;
  failed: number;
  itemsJudged: number;
  accepted: number;
  merged: number;
  rejected: number;
  classifyMs: number;
};

export type PollBenchResult = {
  feeds: number;
  itemsPerFeed: number;
  cold: CycleFigures;
  warm: CycleFigures;
  idle: CycleFigures;
  classifier: { items: number; ms: number; itemsPerSecond: number; microsPerItem: number };
};

export async function runPollCycleBench(): Promise<PollBenchResult> {
  const stage = await startStage({ telegram: false });
  const { server, client } = stage;
  const feedServer = await FeedServer.start();
  onCleanup(() => feedServer.close());

  const keys = redisKeys("bench");
  const start = new Date();
  const feeds: FeedConfig[] = [];
  for (let f = 0; f < FEEDS; f++) {
    const language: FeedLanguage = f % 4 === 0 ? "en" : "ru";
    const url = feedServer.route(`/feed/${f}`, { body: rss(f, 1, language, start), etag: `"f${f}-v1"` });
    feeds.push({ id: `feed-${f}`, url, outlet: `Outlet ${f}`, language, defaultTopics: [] });
  }

  let classified = 0;
  let classifyMs = 0;
  const classify: ClassifyFn = (input) => {
    const t = performance.now();
    try {
      return classifyItem(input);
    } finally {
      classifyMs += performance.now() - t;
      classified++;
    }
  };
  let accepted = 0;
  const deps = {
    feeds,
    fetchFeed,
    classify,
    store: new RedisStoryStore(client, keys, silentLogger),
    health: new RedisFeedHealthStore(client, keys, silentLogger),
    sink: {
      async accept() {
        accepted++;
      },
    },
    logger: silentLogger,
  };

  const cycle = async (now: Date): Promise<CycleFigures> => {
    const c0 = classified;
    const m0 = classifyMs;
    const cpu = process.cpuUsage();
    const t = performance.now();
    const report: CycleReport = await runPollCycle(deps, now);
    const wallMs = performance.now() - t;
    const used = process.cpuUsage(cpu);
    return {
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((used.user + used.system) / 1000),
      feedsFetched: report.totals.fetched,
      notModified: report.totals.notModified,
      failed: report.totals.failed,
      itemsJudged: classified - c0,
      accepted: report.totals.accepted,
      merged: report.totals.merged,
      rejected: report.totals.rejected,
      classifyMs: Math.round(classifyMs - m0),
    };
  };

  const cold = await cycle(start);
  // Ten feeds publish a new edition (new ETag, 50 new items); the other 90 answer 304.
  const warmAt = new Date(start.getTime() + 5 * 60_000);
  for (let f = 0; f < CHANGED; f++) {
    const feed = feeds[f] as FeedConfig;
    feedServer.route(`/feed/${f}`, { body: rss(f, 2, feed.language, warmAt), etag: `"f${f}-v2"` });
  }
  const warm = await cycle(warmAt);
  const idle = await cycle(new Date(start.getTime() + 10 * 60_000));

  await feedServer.close();
  client.disconnect();
  await server.stop();

  const result: PollBenchResult = {
    feeds: FEEDS,
    itemsPerFeed: ITEMS,
    cold,
    warm,
    idle,
    classifier: {
      items: classified,
      ms: Math.round(classifyMs),
      itemsPerSecond: Math.round((classified / classifyMs) * 1000),
      microsPerItem: round((classifyMs * 1000) / Math.max(1, classified), 0),
    },
  };
  for (const [name, c] of [
    ["cold", cold],
    ["warm", warm],
    ["idle", idle],
  ] as const) {
    console.log(
      `  ${name}: wall ${c.wallMs} ms, CPU ${c.cpuMs} ms; ${c.feedsFetched} fetched, ${c.notModified} × 304, ` +
        `${c.failed} failed; ${c.itemsJudged} items judged (${c.accepted} accepted, ${c.merged} merged, ` +
        `${c.rejected} rejected), classifier ${c.classifyMs} ms`,
    );
  }
  console.log(
    `  classifier: ${result.classifier.itemsPerSecond} items/s (${result.classifier.microsPerItem} µs/item); ` +
      `stories accepted by the sink: ${accepted}`,
  );
  return result;
}
