/**
 * Admin broadcasts: the runner that feeds each one to the delivery engine and keeps its progress
 * message up to date (the record in Redis is broadcastStore.ts).
 *
 * A broadcast's audience is fixed when the admin confirms (a LIST of chat ids), and the runner
 * hands it to the delivery queue a window at a time rather than all at once. That keeps news
 * stories flowing between the broadcast's messages instead of waiting behind 100,000 of them,
 * makes cancelling cheap (at most a window is queued), and lets two broadcasts run one after
 * another in the order they were confirmed (a Redis LIST whose head is the one sending).
 *
 * Every job is a `copy` of the admin's own message, with ref `broadcast:<id>`: the queue's ledger
 * and job ids make a second enqueue (a restart, a crash between two steps) send nothing twice,
 * and the worker counts each outcome per ref, which is what the progress message shows. All
 * state is in Redis, so a restarted process picks the broadcast up where it stood.
 */
import { countAlreadySent, type DeliveryJob, type DeliveryQueue } from "../delivery/index.js";
import { errorText } from "../errorText.js";
import type { Translate } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../storage/keys.js";
import { acquireLock, type ClusterLock } from "../storage/lock.js";
import type { Redis } from "../storage/redis.js";
import { STARS_PER_PAID_MESSAGE } from "./paidBroadcast.js";
import {
  type BroadcastCounts,
  formatDuration,
  type ProgressSample,
  processedOf,
  progressFigures,
  trimSamples,
} from "./progress.js";

export * from "./broadcastStore.js";

import { type Broadcast, type BroadcastStore, broadcastRef } from "./broadcastStore.js";

/** The one Bot API call the runner needs (grammY's `bot.api` fits). */
export type ProgressApi = {
  editMessageText(
    chatId: number,
    messageId: number,
    text: string,
    other?: { parse_mode?: "HTML" },
  ): Promise<unknown>;
};

export type BroadcastRunnerOptions = {
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  store: BroadcastStore;
  queue: Pick<DeliveryQueue, "enqueue" | "pending" | "removeJobs">;
  api: ProgressApi;
  translate: Translate;
  /** How often the runner looks at the running broadcast. */
  tickMs?: number;
  /** How often the progress message is edited (Telegram dislikes an edit per message). */
  progressEveryMs?: number;
  /** Jobs of a broadcast in the queue at most; topped up when half are done. */
  windowSize?: number;
  /**
   * A broadcast whose counters stop short of its total (a job lost to a fault) is finished once
   * the queue has been empty this long.
   */
  idleFinishMs?: number;
};

/**
 * Drives broadcasts, one at a time, in one process of the cluster (a lock held while running).
 * Start it after delivery starts and stop it before delivery stops.
 */
export class BroadcastRunner {
  private readonly tickMs: number;
  private readonly progressEveryMs: number;
  private readonly windowSize: number;
  private readonly idleFinishMs: number;
  private readonly samples = new Map<number, ProgressSample[]>();
  private readonly lastEdit = new Map<number, number>();
  private lock: ClusterLock | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private idleSince: number | undefined;
  private stopped = false;

  constructor(private readonly options: BroadcastRunnerOptions) {
    this.tickMs = options.tickMs ?? 250;
    this.progressEveryMs = options.progressEveryMs ?? 2000;
    this.windowSize = options.windowSize ?? 1000;
    this.idleFinishMs = options.idleFinishMs ?? 5000;
  }

  start(): void {
    this.stopped = false;
    const loop = () => {
      this.running = this.tick()
        .catch((err: Error) => this.options.logger.warn({ err }, "broadcast runner tick failed"))
        .finally(() => {
          if (!this.stopped) {
            this.timer = setTimeout(loop, this.tickMs);
            this.timer.unref?.();
          }
        });
    };
    loop();
  }

  /** Stops between ticks; the broadcast stays in Redis for the next start (or another process). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.lock?.release().catch(() => {});
    this.lock = undefined;
  }

  /**
   * Cancels a broadcast (the sending one when `id` is undefined): nothing more of it is sent.
   * Returns the broadcast and its final counters, or undefined when there is nothing to cancel.
   */
  async cancel(id?: number): Promise<{ broadcast: Broadcast; counts: BroadcastCounts } | undefined> {
    const { store } = this.options;
    const target = id ?? (await store.queued())[0];
    if (target === undefined) return undefined;
    const broadcast = await store.get(target);
    if (!broadcast || broadcast.status === "done" || broadcast.status === "cancelled") return undefined;
    const window = await store.chats(
      target,
      Math.max(0, broadcast.enqueued - 2 * this.windowSize),
      broadcast.enqueued,
    );
    await store.finish(target, "cancelled");
    // Jobs still waiting are removed so the queue depth drops at once; one a worker holds already
    // is skipped by it (the cancelled mark), and a paced one older than the window likewise.
    await this.options.queue.removeJobs(broadcastRef(target), window);
    const counts = await store.counts(target);
    const final = { ...broadcast, status: "cancelled" as const };
    await this.editProgress(final, counts, true);
    return { broadcast: final, counts };
  }

  private async tick(): Promise<void> {
    const { redis, keys, store } = this.options;
    if (!this.lock) {
      this.lock = await acquireLock(redis, keys.lock("broadcasts"), Math.max(10_000, this.tickMs * 20));
      if (!this.lock) return;
    } else if (!(await this.lock.renew())) {
      this.lock = undefined;
      return;
    }
    const [head] = await store.queued();
    if (head === undefined) return;
    const broadcast = await store.get(head);
    if (!broadcast || broadcast.status === "done" || broadcast.status === "cancelled") {
      await redis.lrem(keys.broadcastQueue, 0, head);
      return;
    }
    const now = Date.now();
    let force = false;
    if (broadcast.status === "queued") {
      broadcast.status = "running";
      broadcast.startedAt = new Date(now).toISOString();
      await store.update(head, { status: "running", startedAt: broadcast.startedAt });
      force = true;
    }

    let counts = await store.counts(head);
    if (
      broadcast.enqueued < broadcast.total &&
      broadcast.enqueued - processedOf(counts) < this.windowSize / 2
    ) {
      await this.topUp(broadcast);
      counts = await store.counts(head);
    }
    const processed = processedOf(counts);
    const samples = trimSamples([...(this.samples.get(head) ?? []), { at: now, processed }], now);
    this.samples.set(head, samples);

    let finished = broadcast.enqueued >= broadcast.total && processed >= broadcast.total;
    if (!finished && broadcast.enqueued >= broadcast.total) {
      if ((await this.options.queue.pending()) === 0) {
        this.idleSince ??= now;
        finished = now - this.idleSince >= this.idleFinishMs;
      } else this.idleSince = undefined;
    }
    if (finished) {
      this.idleSince = undefined;
      await store.finish(head, "done");
      await this.editProgress({ ...broadcast, status: "done" }, counts, true);
      this.samples.delete(head);
      this.lastEdit.delete(head);
      this.options.logger.info({ broadcast: head, ...counts }, "broadcast finished");
      return;
    }
    await this.editProgress(broadcast, counts, force);
  }

  /** Hands the next window of the audience to the queue. Safe to repeat (ledger, job ids). */
  private async topUp(broadcast: Broadcast): Promise<void> {
    const { store, redis, keys } = this.options;
    const ref = broadcastRef(broadcast.id);
    const to = Math.min(broadcast.total, broadcast.enqueued + this.windowSize);
    const chats = await store.chats(broadcast.id, broadcast.enqueued, to);
    const jobs: DeliveryJob[] = chats.map(({ chatId, threadId }) => ({
      kind: "copy",
      ref,
      chatId,
      ...(threadId !== undefined ? { threadId } : {}),
      fromChatId: broadcast.fromChatId,
      messageId: broadcast.messageId,
      track: true,
      ...(broadcast.paid ? { paid: true as const } : {}),
    }));
    const result = await this.options.queue.enqueue(jobs);
    // Chats the ledger says already got it never reach the worker: count them here, or the
    // broadcast would never add up to its total.
    await countAlreadySent(redis, keys, ref, result.alreadySent);
    // A list shorter than promised (trimmed by hand) must not stall the broadcast forever.
    broadcast.enqueued = chats.length < to - broadcast.enqueued ? broadcast.total : to;
    await store.update(broadcast.id, { enqueued: broadcast.enqueued });
  }

  private async editProgress(broadcast: Broadcast, counts: BroadcastCounts, force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - (this.lastEdit.get(broadcast.id) ?? 0) < this.progressEveryMs) return;
    this.lastEdit.set(broadcast.id, now);
    const text = progressText(
      this.options.translate,
      broadcast,
      counts,
      this.samples.get(broadcast.id) ?? [],
    );
    try {
      await this.options.api.editMessageText(broadcast.fromChatId, broadcast.progressMessageId, text, {
        parse_mode: "HTML",
      });
    } catch (err) {
      const message = errorText(err);
      if (!/not modified/i.test(message)) {
        this.options.logger.warn({ broadcast: broadcast.id, err }, "cannot update broadcast progress");
      }
    }
  }
}

/** The progress message of a broadcast in the admin's language. */
export function progressText(
  translate: Translate,
  broadcast: Pick<Broadcast, "id" | "status" | "total" | "language"> & { paid?: boolean },
  counts: BroadcastCounts,
  samples: readonly ProgressSample[],
): string {
  const f = progressFigures(broadcast.total, counts, samples);
  const t = (key: string, vars?: Record<string, string | number>) => translate(broadcast.language, key, vars);
  const running = broadcast.status === "running";
  // Payment and 429s under the counters: a message that met them was still sent, or is still due.
  const notes = [
    broadcast.paid
      ? t("broadcast-progress-paid", { paid: counts.paid, stars: starsOf(counts.paid) })
      : undefined,
    counts.unpaid > 0 ? t("broadcast-progress-unpaid", { unpaid: counts.unpaid }) : undefined,
    counts["rate-limited"] > 0
      ? t("broadcast-progress-limited", { count: counts["rate-limited"] })
      : undefined,
  ].filter((line) => line !== undefined);
  const main = t("broadcast-progress", {
    // A string: Fluent would group an id as "1,000".
    id: String(broadcast.id),
    status: t(`broadcast-status-${broadcast.status}`),
    total: f.total,
    sent: f.sent,
    failed: f.failed,
    blocked: f.blocked,
    remaining: f.remaining,
    rate: running && f.ratePerSecond !== undefined ? f.ratePerSecond.toFixed(1) : "—",
    eta: running && f.etaSeconds !== undefined ? formatDuration(f.etaSeconds) : "—",
  });
  return [main, ...notes].join("\n");
}

/** What `paid` flagged messages cost at most (0.1 Star each), to a tenth. */
function starsOf(paid: number): number {
  return Math.round(paid * STARS_PER_PAID_MESSAGE * 10) / 10;
}
