import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { z } from "zod";
import type { AuditLog } from "../../admin/audit.js";
import type { BroadcastRunner, BroadcastStore } from "../../admin/broadcasts.js";
import type { BroadcastRates } from "../../admin/paidBroadcast.js";
import { type AdminStats, collectStats } from "../../admin/stats.js";
import type { DeliveryQueue, DeliveryWorker } from "../../delivery/index.js";
import { escapeHtml } from "../../html.js";
import { LANGUAGES, type Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import { type FeedHealth, type RedisFeedHealthStore, shouldSkip } from "../../news/feedHealth.js";
import { feedEntrySchema } from "../../news/feedList.js";
import type { FeedOverrideStore, FeedRow } from "../../news/feedOverrides.js";
import { TOPIC_EMOJI, TOPIC_IDS } from "../../news/topicIds.js";
import type { RedisKeys } from "../../storage/keys.js";
import type { Redis } from "../../storage/redis.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import { STORY_LANGUAGES } from "../../subscriber/storyLanguages.js";
import type { BotContext } from "../context.js";
import {
  BROADCAST_CONVERSATION,
  type BroadcastArgs,
  broadcastConversation,
} from "../conversations/broadcast.js";

/** What the admin commands need that exists only once the app has started delivery and news. */
export type AdminRuntime = {
  queue: DeliveryQueue;
  worker: DeliveryWorker | undefined;
  broadcasts: BroadcastRunner;
  feeds: FeedOverrideStore;
  health: RedisFeedHealthStore;
};

export type AdminDeps = {
  adminIds: readonly number[];
  redis: Redis;
  keys: RedisKeys;
  translate: Translate;
  timeZone: string;
  subscriptions: SubscriptionStore;
  store: BroadcastStore;
  audit: AuditLog;
  /** Free and paid (PAID_BROADCAST) send rates, for the broadcast's free/paid choice. */
  rates?: BroadcastRates;
  /** Undefined until the app has started (updates are taken only after that). */
  runtime: () => AdminRuntime | undefined;
};

/** A Telegram message holds 4096 characters; long lists are split below that, at line ends. */
const CHUNK_LIMIT = 3900;

const feedIdArg = z.string().trim().min(1).max(40);
const broadcastIdArg = z.coerce.number().int().positive().optional();

/**
 * /broadcast, /broadcast_cancel, /stats, /feeds, /audit for the users in ADMIN_IDS, in private
 * chats. For anyone else these commands do not exist: their updates skip this feature and reach
 * the fallback, which answers "unknown command" like for any other unknown command.
 */
export function adminFeature(deps: AdminDeps): Composer<BotContext> {
  const { translate, audit } = deps;
  const admins = new Set(deps.adminIds);
  const feature = new Composer<BotContext>();
  const gated = feature.filter(
    (ctx) => ctx.from !== undefined && admins.has(ctx.from.id) && ctx.chat?.type === "private",
  );

  gated.use(
    createConversation(
      broadcastConversation({
        translate,
        subscriptions: deps.subscriptions,
        store: deps.store,
        audit,
        ...(deps.rates ? { rates: deps.rates } : {}),
      }),
      { id: BROADCAST_CONVERSATION },
    ),
  );

  /** The runtime, or an answer that the bot is still starting. */
  const runtimeOf = async (ctx: BotContext): Promise<AdminRuntime | undefined> => {
    const runtime = deps.runtime();
    if (!runtime) await ctx.reply(ctx.t("error-generic"));
    return runtime;
  };

  gated.command("broadcast", async (ctx) => {
    const args: BroadcastArgs = { language: ctx.language, chatId: ctx.chat.id, adminId: ctx.from?.id ?? 0 };
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(BROADCAST_CONVERSATION, args);
  });

  gated.command("broadcast_cancel", async (ctx) => {
    const id = broadcastIdArg.safeParse(ctx.match.trim() || undefined);
    if (!id.success) {
      await ctx.reply(ctx.t("broadcast-cancel-usage"));
      return;
    }
    const runtime = await runtimeOf(ctx);
    if (!runtime) return;
    const result = await runtime.broadcasts.cancel(id.data);
    if (!result) {
      await ctx.reply(ctx.t("broadcast-nothing-to-cancel"));
      return;
    }
    await audit.record({
      adminId: ctx.from?.id ?? 0,
      action: "broadcast-cancel",
      detail: `#${result.broadcast.id} sent ${result.counts.sent}`,
      audience: result.broadcast.total,
    });
    await ctx.reply(
      ctx.t("broadcast-cancelled", {
        id: String(result.broadcast.id),
        sent: result.counts.sent,
        total: result.broadcast.total,
      }),
    );
  });

  gated.command("stats", async (ctx) => {
    const runtime = await runtimeOf(ctx);
    if (!runtime) return;
    const stats = await collectStats({
      redis: deps.redis,
      keys: deps.keys,
      timeZone: deps.timeZone,
      queue: runtime.queue,
      worker: runtime.worker,
    });
    await audit.record({ adminId: ctx.from?.id ?? 0, action: "stats" });
    await ctx.reply(statsText(stats, translate, ctx.language), { parse_mode: "HTML" });
  });

  gated.command("feeds", async (ctx) => {
    const runtime = await runtimeOf(ctx);
    if (!runtime) return;
    const adminId = ctx.from?.id ?? 0;
    const [sub, ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean);
    if (sub === undefined) {
      const rows = await runtime.feeds.rows();
      const health = await runtime.health.load(rows.map((r) => r.feed.id));
      await audit.record({ adminId, action: "feeds" });
      const lines = rows.map((row) =>
        feedLine(row, health.get(row.feed.id)?.health, translate, ctx.language, deps.timeZone),
      );
      const active = rows.filter((r) => !r.paused).length;
      const heading = ctx.t("feeds-heading", { count: rows.length, active });
      const body = lines.length > 0 ? lines : [ctx.t("feeds-none")];
      for (const chunk of chunkLines([heading, ...body, ctx.t("feeds-help")], CHUNK_LIMIT)) {
        await ctx.reply(chunk, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
      }
      return;
    }

    if (sub === "add") {
      const [id, url, language, ...outlet] = rest;
      const entry = feedEntrySchema.safeParse({ id, url, language, outlet: outlet.join(" ") });
      if (!entry.success) {
        await ctx.reply(
          ctx.t("feeds-invalid", { reason: escapeHtml(entry.error.issues[0]?.message ?? "?") }),
          { parse_mode: "HTML" },
        );
        return;
      }
      const result = await runtime.feeds.add(entry.data);
      if (result === "ok")
        await audit.record({ adminId, action: "feeds-add", detail: `${entry.data.id} ${entry.data.url}` });
      await ctx.reply(
        ctx.t(result === "ok" ? "feeds-added" : "feeds-exists", { id: escapeHtml(entry.data.id) }),
        {
          parse_mode: "HTML",
        },
      );
      return;
    }

    const op = z.enum(["pause", "resume", "remove"]).safeParse(sub);
    const id = feedIdArg.safeParse(rest[0]);
    if (!op.success || !id.success || rest.length !== 1) {
      await ctx.reply(ctx.t("feeds-usage"), { parse_mode: "HTML" });
      return;
    }
    const result = await runtime.feeds[op.data](id.data);
    if (result === "ok") await audit.record({ adminId, action: `feeds-${op.data}`, detail: id.data });
    const key =
      result === "ok"
        ? { pause: "feeds-paused", resume: "feeds-resumed", remove: "feeds-removed" }[op.data]
        : result === "already"
          ? op.data === "pause"
            ? "feeds-already-paused"
            : "feeds-not-paused"
          : "feeds-unknown";
    await ctx.reply(ctx.t(key, { id: escapeHtml(id.data) }), { parse_mode: "HTML" });
  });

  gated.command("audit", async (ctx) => {
    const entries = await audit.latest(20);
    if (entries.length === 0) {
      await ctx.reply(ctx.t("audit-empty"));
      return;
    }
    const lines = entries.map((e) => {
      const audience = e.audience !== undefined ? ` · ${ctx.t("audit-audience", { count: e.audience })}` : "";
      const detail = e.detail ? ` ${escapeHtml(e.detail)}` : "";
      return `${formatTime(e.at, deps.timeZone)} · <code>${e.adminId}</code> · <b>${escapeHtml(e.action)}</b>${detail}${audience}`;
    });
    for (const chunk of chunkLines([ctx.t("audit-heading"), ...lines], CHUNK_LIMIT)) {
      await ctx.reply(chunk, { parse_mode: "HTML" });
    }
  });

  return feature;
}

/** The /stats message. */
export function statsText(stats: AdminStats, translate: Translate, language: Language): string {
  const s = stats.subscribers;
  const languages = LANGUAGES.map((l) => `${translate(l, "language-name")}: ${s.byLanguage[l]}`).join("\n");
  const topics = TOPIC_IDS.filter((topic) => s.byTopic[topic] > 0)
    .map(
      (topic) =>
        `${TOPIC_EMOJI[topic]} ${escapeHtml(translate(language, `topic-${topic}`))}: ${s.byTopic[topic]}`,
    )
    .join("\n");
  const storyLanguages = [
    String(s.storyLanguagesChosen),
    ...STORY_LANGUAGES.filter((l) => s.byStoryLanguage[l] > 0).map(
      (l) => `${escapeHtml(translate(language, `story-language-${l}`))}: ${s.byStoryLanguage[l]}`,
    ),
  ].join(" · ");
  const text = translate(language, "admin-stats", {
    total: s.total,
    active: s.active,
    paused: s.paused,
    blocked: s.blocked,
    gone: s.gone,
    rates: s.rates,
    destinations: translate(language, "admin-stats-destinations", {
      private: s.byPlace.private,
      groups: s.byPlace.group,
      channels: s.byPlace.channel,
      topics: s.byPlace.topic,
    }),
    languages,
    topics: topics || "—",
    storiesToday: stats.storiesToday,
    storiesWeek: stats.storiesWeek,
    sent: stats.delivery.sent,
    failed: stats.delivery.failed,
    blockedToday: stats.delivery.blocked,
    rateLimited: stats.delivery.rateLimited,
    queue: stats.queueDepth,
    dead: stats.deadLetters,
  });
  return [
    text,
    translate(language, "admin-stats-story-languages", { languages: storyLanguages }),
    translate(language, "admin-stats-keywords", { chats: s.keywordChats, keywords: s.keywords }),
    translate(language, "admin-stats-delivery", s.byDeliveryMode),
    translate(language, "admin-stats-quiet", { count: s.quietHours }),
    translate(language, "admin-stats-zones", { count: s.ownZones }),
  ].join("\n");
}

/** One feed in /feeds: its state, last success, items today, last error with the reason. */
export function feedLine(
  row: FeedRow,
  health: FeedHealth | undefined,
  translate: Translate,
  language: Language,
  timeZone: string,
  now = new Date(),
): string {
  const t = (key: string, vars?: Record<string, string | number>) => translate(language, key, vars);
  let icon: string;
  let state: string;
  if (row.paused) {
    icon = "⏸";
    state = t("feed-state-paused");
  } else if (!health) {
    icon = "🆕";
    state = t("feed-state-new");
  } else if (shouldSkip(health, now) && health.backoffUntil) {
    icon = "⏳";
    state = t("feed-state-backoff", { until: formatTime(health.backoffUntil, timeZone) });
  } else if (health.lastStatus === "failed") {
    icon = "⚠️";
    state = t("feed-state-failing");
  } else {
    icon = "✅";
    state = t("feed-state-ok");
  }
  const today = formatTime(now.toISOString(), timeZone).slice(0, 10);
  const itemsToday = health?.itemsTodayDate === today ? health.itemsToday : 0;
  const lines = [
    t("feed-line", {
      icon,
      id: escapeHtml(row.feed.id),
      outlet: escapeHtml(row.feed.outlet),
      language: row.feed.language,
      state,
      added: row.source === "added" ? t("feed-added-mark") : "",
      success: health?.lastSuccessAt ? formatTime(health.lastSuccessAt, timeZone) : t("feed-never"),
      items: itemsToday,
    }),
  ];
  if (health?.lastError && health.lastErrorAt) {
    lines.push(
      t("feed-line-error", {
        at: formatTime(health.lastErrorAt, timeZone),
        reason: escapeHtml(health.lastError),
      }),
    );
  }
  return lines.join("\n");
}

/** "2026-05-01 14:03" in the zone; the ISO text itself when it does not parse. */
function formatTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

/** Joins lines into messages of at most `limit` characters, never splitting a line. */
export function chunkLines(lines: readonly string[], limit: number): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > limit && current) {
      chunks.push(current);
      current = line.slice(0, limit);
    } else current = next.slice(0, limit);
  }
  if (current) chunks.push(current);
  return chunks;
}
