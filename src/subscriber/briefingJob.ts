/**
 * Sends the morning briefings and weekly digests. Every few minutes (and at start, so a restart
 * at the hour loses nothing) one process of the cluster, under a Redis lock, walks the
 * subscribers, finds those whose briefing is due (subscriber/briefing.ts) and not yet queued for
 * the period, and queues it through the delivery queue as text messages with refs
 * `<period>:<part>`. Exactly once per chat and period: the period's done SET skips a chat on the
 * next runs, and the queue's once-per-(ref, chat) ledger refuses a part queued or sent before.
 */
import { type DeliveryJob, formatBriefing, LOCALES, versionAwareStories } from "../delivery/index.js";
import type { Language } from "../i18n/languages.js";
import type { Translate } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { StoryStore } from "../news/storyStore.js";
import type { RedisKeys } from "../storage/keys.js";
import { withLock } from "../storage/lock.js";
import type { Redis } from "../storage/redis.js";
import type { Recipient, SubscriptionStore } from "../storage/subscriptions.js";
import {
  type BriefingKind,
  BriefingStories,
  type BriefingStory,
  duePeriod,
  heldPeriod,
  heldSections,
  windowStart,
} from "./briefing.js";

/** A briefing, a digest, or the stories held during a chat's quiet hours. */
type RunKind = BriefingKind | "held";

export type BriefingJobDeps = {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  subscriptions: SubscriptionStore;
  stories: Pick<StoryStore, "latestStories" | "getStory">;
  /** The delivery queue's enqueue (idempotent per ref and chat). */
  enqueue: (
    jobs: readonly DeliveryJob[],
    options?: { delayMs?: number },
  ) => Promise<{ submitted: number; alreadySent: number }>;
  translate: Translate;
  timeZone: string;
  /** Today's official rates as HTML in a language, or undefined when there are none to show. */
  ratesHtml: (language: Language) => Promise<string | undefined>;
  /** How often to look for due briefings. Default 5 minutes. */
  intervalMs?: number;
};

const DEFAULT_INTERVAL_MS = 5 * 60_000;
/** Stories read per run: more than a busy week of accepted stories. */
const STORIES_PER_RUN = 1500;
/** Kept past the catch-up window of a weekly digest, then Redis forgets it. */
const DONE_TTL_SECONDS = 8 * 86_400;
/** Parts of one briefing are queued this far apart, so they arrive in order. */
const PART_SPACING_MS = 1500;

export class BriefingJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly deps: BriefingJobDeps) {}

  start(): void {
    const tick = () => {
      if (this.stopped || this.running) return;
      this.running = this.runOnce()
        .catch((err: Error) => this.deps.logger.error({ err }, "briefing run failed"))
        .finally(() => {
          this.running = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, this.deps.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Queues every briefing due at `now`; safe to call twice or from two processes. Returns how many. */
  async runOnce(now = new Date()): Promise<number> {
    const { redis, keys, logger } = this.deps;
    const result = await withLock(
      redis,
      keys.lock("briefings"),
      120_000,
      async (lost) => {
        let queued = 0;
        let stories: BriefingStories | undefined;
        const rates = new Map<Language, Promise<string | undefined>>();
        for await (const batch of this.deps.subscriptions.activeRecipients()) {
          if (lost.aborted || this.stopped) break;
          const due = await this.dueOf(batch, now);
          if (due.length === 0) continue;
          stories ??= new BriefingStories(await this.deps.stories.latestStories({ limit: STORIES_PER_RUN }));
          for (const { recipient, kind, period } of due) {
            if (lost.aborted) break;
            if (kind === "held") {
              await this.sendHeld(recipient, period, now);
              queued++;
              continue;
            }
            if (kind === "briefing" && !rates.has(recipient.language))
              rates.set(
                recipient.language,
                this.deps.ratesHtml(recipient.language).catch(() => undefined),
              );
            const ratesHtml = kind === "briefing" ? await rates.get(recipient.language) : undefined;
            await this.send(recipient, kind, period, stories, ratesHtml, now);
            queued++;
          }
        }
        return queued;
      },
      logger,
    );
    if (!result.acquired) return 0;
    if (result.value > 0) logger.info({ queued: result.value }, "briefings queued");
    return result.value;
  }

  /** The batch's chats whose briefing is due now and not queued yet for its period. */
  private async dueOf(
    batch: readonly Recipient[],
    now: Date,
  ): Promise<Array<{ recipient: Recipient; kind: RunKind; period: string }>> {
    const { redis, keys } = this.deps;
    type Due = { recipient: Recipient; kind: RunKind; period: string };
    const candidates = batch.flatMap((recipient): Due[] => {
      const timeZone = recipient.timeZone ?? this.deps.timeZone;
      if (recipient.deliveryMode === "instant") {
        const period = recipient.quietHours && heldPeriod(recipient.quietHours, now, timeZone);
        return period ? [{ recipient, kind: "held", period }] : [];
      }
      const kind: BriefingKind = recipient.deliveryMode;
      const period = duePeriod(kind, recipient.briefingHour, now, timeZone);
      return period ? [{ recipient, kind, period }] : [];
    });
    if (candidates.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const c of candidates) {
      pipeline.sismember(keys.briefingDone(c.period), c.recipient.chatId);
      // Held stories come only when there are some: a quiet night sends nothing.
      if (c.kind === "held") pipeline.llen(keys.heldStories(c.recipient.chatId));
      else pipeline.echo("1");
    }
    const replies = (await pipeline.exec()) ?? [];
    return candidates.filter((_, i) => replies[2 * i]?.[1] !== 1 && Number(replies[2 * i + 1]?.[1]) > 0);
  }

  /** The stories held during the chat's quiet hours, as one briefing-like message (or several). */
  private async sendHeld(recipient: Recipient, period: string, now: Date): Promise<void> {
    const { redis, keys, translate } = this.deps;
    const timeZone = recipient.timeZone ?? this.deps.timeZone;
    const heldKey = keys.heldStories(recipient.chatId);
    const ids = [...new Set(await redis.lrange(heldKey, 0, -1))];
    const reader = versionAwareStories(this.deps.stories);
    const stories: BriefingStory[] = [];
    for (const id of ids) {
      const story = await reader.getStory(id);
      if (story) stories.push(story);
    }
    const messages = formatBriefing({
      kind: "held",
      language: recipient.language,
      translate,
      period: periodLabel("briefing", recipient.language, now, timeZone),
      sections: heldSections(stories, recipient.topicMask),
    });
    await this.enqueueParts(recipient.chatId, period, messages);
    await redis
      .multi()
      .sadd(keys.briefingDone(period), recipient.chatId)
      .expire(keys.briefingDone(period), DONE_TTL_SECONDS)
      .del(heldKey)
      .exec();
  }

  private async enqueueParts(chatId: number, period: string, messages: readonly string[]): Promise<void> {
    for (const [i, text] of messages.entries()) {
      const job: DeliveryJob = { kind: "text", ref: `${period}:${i + 1}`, chatId, text, parseMode: "HTML" };
      await this.deps.enqueue([job], { delayMs: i * PART_SPACING_MS });
    }
  }

  private async send(
    recipient: Recipient,
    kind: BriefingKind,
    period: string,
    stories: BriefingStories,
    ratesHtml: string | undefined,
    now: Date,
  ): Promise<void> {
    const { subscriptions, translate, redis, keys } = this.deps;
    const timeZone = recipient.timeZone ?? this.deps.timeZone;
    const from = windowStart(kind, await subscriptions.lastBriefing(recipient.chatId), now);
    const sections = stories.sectionsFor(recipient, from, now.getTime(), kind);
    const messages = formatBriefing({
      kind,
      language: recipient.language,
      translate,
      period: periodLabel(kind, recipient.language, now, timeZone),
      ...(ratesHtml ? { ratesHtml } : {}),
      sections,
    });
    await this.enqueueParts(recipient.chatId, period, messages);
    // After the parts are queued: a crash before this line repeats the run for this chat, and the
    // ledger refuses every part already queued or sent.
    await redis
      .multi()
      .sadd(keys.briefingDone(period), recipient.chatId)
      .expire(keys.briefingDone(period), DONE_TTL_SECONDS)
      .exec();
    await subscriptions.setLastBriefing(recipient.chatId, now.getTime());
  }
}

/** "3 December" for a briefing, "26 Nov – 3 Dec" for a digest, in the reader's language. */
function periodLabel(kind: BriefingKind, language: Language, now: Date, timeZone: string): string {
  const locale = LOCALES[language];
  if (kind === "briefing")
    return new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "long" }).format(now);
  const short = new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "short" });
  return `${short.format(new Date(now.getTime() - 7 * 86_400_000))} – ${short.format(now)}`;
}
