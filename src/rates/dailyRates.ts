import cron, { type ScheduledTask } from "node-cron";
import type { DeliveryJob } from "../delivery/index.js";
import { LANGUAGES, type Language } from "../i18n/languages.js";
import type { Translate } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import { withLock } from "../storage/lock.js";
import type { Redis } from "../storage/redis.js";
import { RATES_TIMES, type RatesTime, type SubscriptionStore } from "../storage/subscriptions.js";
import { DAILY_JOB_RETRY, type RetrySchedule } from "./officialRates.js";
import type { RatesService } from "./ratesService.js";

/** The slot RATES_CRON drives; the other choices run at their own local time. */
export const DEFAULT_RATES_TIME: RatesTime = "09:00";

/** What one run of a slot did, for logs and tests. */
export type DailyRatesOutcome =
  | { kind: "sent"; source: "nbk" | "cbu-cross"; date: string; enqueued: number; alreadySent: number }
  | { kind: "failed"; reason: string }
  | { kind: "skipped"; reason: "already-done" | "locked-by-another-process" };

export type DailyRatesDeps = {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  rates: RatesService;
  subscriptions: SubscriptionStore;
  /** The delivery queue (idempotent per ref and chat). */
  enqueue: (jobs: readonly DeliveryJob[]) => Promise<{ submitted: number; alreadySent: number }>;
  translate: Translate;
  adminIds: readonly number[];
  /** An admin's language for the alert (their profile); Russian when unknown. */
  languageOf?: (chatId: number) => Promise<Language | undefined>;
  timezone: string;
  ratesCron: string;
  /** How long to keep trying NBK; tests shorten it. */
  retry?: RetrySchedule;
};

/** Cron for a fixed "HH:MM" slot. */
function slotCron(time: RatesTime): string {
  const [hour, minute] = time.split(":").map(Number);
  return `${minute} ${hour} * * *`;
}

/**
 * The daily rates message. Each slot (RATES_CRON for 09:00, and 08:00, 12:00, 18:00 for those who
 * chose them) runs once per cluster under a Redis lock, and every subscriber gets at most one rates
 * message a day: the delivery ref is `rates:<date>` for all slots, so neither a second run, a
 * second process nor a changed slot sends it twice. When NBK fails past the deadline, subscribers
 * get nothing wrong (nothing at all, or clearly labelled CBU cross rates when enabled) and the
 * admins are told once.
 */
export class DailyRatesJob {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(private readonly deps: DailyRatesDeps) {}

  start(): void {
    for (const time of RATES_TIMES) {
      const expression = time === DEFAULT_RATES_TIME ? this.deps.ratesCron : slotCron(time);
      const task = cron.schedule(
        expression,
        () => {
          const run = this.runSlot(time).catch((err: Error) =>
            this.deps.logger.error({ err, slot: time }, "daily rates run failed"),
          );
          this.running.add(run);
          void run.finally(() => this.running.delete(run));
        },
        { timezone: this.deps.timezone, name: `rates-${time}` },
      );
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.stop();
    this.abort.abort();
    await Promise.allSettled([...this.running]);
  }

  /** Runs one slot now (what the cron does); safe to call twice or from two processes. */
  async runSlot(slot: RatesTime, now = new Date()): Promise<DailyRatesOutcome> {
    const { redis, keys, logger } = this.deps;
    const today = this.deps.rates.today(now);
    const doneKey = keys.once(`rates-daily:${today}:${slot}`);
    if (await redis.exists(doneKey)) return { kind: "skipped", reason: "already-done" };

    const result = await withLock(
      redis,
      keys.lock(`rates-daily:${slot}`),
      60_000,
      async () => {
        if (await redis.exists(doneKey)) return { kind: "skipped", reason: "already-done" } as const;
        const outcome = await this.send(slot, today);
        // Remembered for two days: long enough to cover the day, short enough to clean itself.
        await redis.set(doneKey, outcome.kind, "EX", 2 * 86_400);
        return outcome;
      },
      logger,
    );
    if (!result.acquired) return { kind: "skipped", reason: "locked-by-another-process" };
    logger.info({ slot, date: today, outcome: result.value }, "daily rates run");
    return result.value;
  }

  private async send(slot: RatesTime, today: string): Promise<DailyRatesOutcome> {
    const { rates, subscriptions, logger } = this.deps;
    const resolved = await rates.current(this.deps.retry ?? DAILY_JOB_RETRY, today);
    if (resolved.kind !== "official") {
      await this.alertAdmins(today, resolved.reason, resolved.kind === "fallback");
    }
    if (resolved.kind === "failed") return { kind: "failed", reason: resolved.reason };

    const texts = new Map<Language, string>();
    for (const language of LANGUAGES) {
      const body = rates.message(resolved, language, today);
      if (!body) return { kind: "failed", reason: "no rates to show" };
      texts.set(language, `${this.deps.translate(language, "rates-daily-greeting")}\n\n${body}`);
    }

    let enqueued = 0;
    let alreadySent = 0;
    for await (const batch of subscriptions.activeRecipients()) {
      const jobs: DeliveryJob[] = batch
        // A morning briefing carries the day's rates itself (subscriber/briefingJob.ts).
        .filter((r) => r.rates && r.ratesTime === slot && r.deliveryMode !== "briefing")
        .map((r) => ({
          kind: "text",
          ref: `rates:${today}`,
          chatId: r.chatId,
          // A forum topic subscribed to rates gets them in its own thread.
          ...(r.threadId !== undefined ? { threadId: r.threadId } : {}),
          text: texts.get(r.language) as string,
          parseMode: "HTML",
        }));
      if (jobs.length === 0) continue;
      const result = await this.deps.enqueue(jobs);
      enqueued += result.submitted;
      alreadySent += result.alreadySent;
    }
    logger.info({ slot, enqueued, alreadySent }, "daily rates enqueued");
    return { kind: "sent", source: resolved.set.source, date: resolved.set.date, enqueued, alreadySent };
  }

  /** Tells every admin once per day that the official rates could not be had, and why. */
  private async alertAdmins(today: string, reason: string, fellBack: boolean): Promise<void> {
    const { adminIds, translate } = this.deps;
    if (adminIds.length === 0) {
      this.deps.logger.error({ reason }, "official rates unavailable and no ADMIN_IDS to tell");
      return;
    }
    const jobs: DeliveryJob[] = [];
    for (const chatId of adminIds) {
      const language = (await this.deps.languageOf?.(chatId).catch(() => undefined)) ?? "ru";
      jobs.push({
        kind: "text",
        ref: `rates-alert:${today}`,
        chatId,
        text: translate(language, fellBack ? "rates-admin-alert-fallback" : "rates-admin-alert", {
          date: today,
          reason: reason.slice(0, 500),
        }),
      });
    }
    await this.deps.enqueue(jobs);
  }
}
