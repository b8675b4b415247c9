/**
 * The consumer side of delivery: takes jobs from the queue and sends them to Telegram within its
 * limits, whatever happens to Telegram, the network or this process.
 *
 * - Global limit: one schedule of send slots in Redis (`SendAdmission`, `SEND_RATE_LIMIT` per
 *   second), shared by every worker process. A 429 pushes the schedule past `retry_after` and
 *   pauses the queue's fetching for as long.
 * - Per-chat pacing: about one message a second to a private chat and 20 a minute to a group
 *   (Telegram's limits); a job that comes too early is moved to the delayed set, not retried.
 * - Once per chat: the ledger is checked (in the same admission script) before each send and
 *   written (`LedgerWriter`) right after it. A process killed between the two may send that
 *   message again on restart (at most one per send in flight: `SendGate`); nothing is ever lost.
 * - Story batches (a fan-out's jobs of up to 100 chats) take the same path chat by chat, so one
 *   BullMQ job's cost is spread over many messages; a chat that must wait or be retried is
 *   handed over to a single job of its own, where the rules below apply unchanged.
 * - Failures: Telegram errors are mapped in one place (telegramErrors.ts); transient ones are
 *   retried with exponential backoff and end up as dead letters an admin can resend.
 */
import { DelayedError, type Job, Worker } from "bullmq";
import { Api } from "grammy";
import { z } from "zod";
import type { Translate } from "../i18n/translator.js";
import { localDate } from "../localDate.js";
import type { Logger } from "../logger.js";
import type { StoryStore } from "../news/storyStore.js";
import type { Story } from "../news/types.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import type { SubscriptionStore } from "../storage/subscriptions.js";
import { formatStory } from "./formatStory.js";
import { LedgerWriter } from "./ledgerWriter.js";
import {
  DELIVERY_QUEUE_NAME,
  type DeliveryJob,
  type DeliveryKind,
  type DeliveryQueue,
  deliveryJobSchema,
  deliveryRef,
  expandStoryBatch,
  type QueuedJob,
  queuedJobSchema,
  refToken,
  type SentCounter,
  type StoryBatchJob,
} from "./queue.js";
import { SendAdmission } from "./sendAdmission.js";
import { SendGate } from "./sendGate.js";
import { classifyTelegramError, type TelegramErrorAction } from "./telegramErrors.js";

/** What happened to one delivery, for metrics (the metrics feature attaches prom-client here). */
export type DeliveryEvent =
  | { type: "sent"; kind: DeliveryKind; chatId: number }
  | { type: "duplicate-skipped"; chatId: number }
  | { type: "paced"; chatId: number; delayMs: number }
  | { type: "rate-limited"; retryAfterMs: number }
  | { type: "deactivated"; chatId: number; status: "blocked" | "gone"; reason: string }
  | { type: "migrated"; fromChatId: number; toChatId: number }
  | { type: "retrying"; chatId: number; reason: string; attempt: number }
  | { type: "dead-letter"; chatId: number | undefined; reason: string };

export type DeliveryWorkerOptions = {
  /** BullMQ's connection (maxRetriesPerRequest: null); the worker duplicates it for blocking reads. */
  connection: Redis;
  /** The app's connection: ledger, pacing, counters, dead letters. */
  redis: Redis;
  keys: RedisKeys;
  logger: Logger;
  translate: Translate;
  subscriptions: SubscriptionStore;
  stories: Pick<StoryStore, "getStory">;
  queue: DeliveryQueue;
  token: string;
  apiRoot: string;
  timeZone: string;
  /** Messages per second for the whole bot, across all processes (SEND_RATE_LIMIT). */
  ratePerSecond: number;
  /** PAID_BROADCAST mode: the rate of unpaid messages (FREE_SEND_RATE_LIMIT); unset: nothing is paid. */
  freeRatePerSecond?: number;
  /** Sends (and jobs) in flight in this process; by default enough to reach the rate at ~0.5 s per send. */
  concurrency?: number;
  /** Minimum gap between two messages to one private chat (Telegram: about 1 per second). */
  privatePaceMs?: number;
  /** Minimum gap between two messages to one group or channel (Telegram: 20 per minute). */
  groupPaceMs?: number;
  /** A job whose worker stopped renewing its lock this long is taken over by another worker. */
  lockDurationMs?: number;
  /** How often stalled jobs (of a killed worker) are looked for. */
  stalledIntervalMs?: number;
  /** Stalls a job survives before it becomes a dead letter. */
  maxStalledCount?: number;
  /** Deadline of one Bot API call. */
  requestTimeoutSeconds?: number;
  /** Dead letters kept (the oldest are dropped beyond this). */
  maxDeadLetters?: number;
  onEvent?: (event: DeliveryEvent) => void;
};

export type DeadLetter = {
  /** The job's payload as it was read (it may be the invalid payload that put it here). */
  job: unknown;
  reason: string;
  /** ISO time it was given up on. */
  at: string;
  attempts: number;
};

const deadLetterSchema = z.object({
  job: z.unknown(),
  reason: z.string(),
  at: z.string(),
  attempts: z.number(),
});

/** How one chat's delivery ended, before the job decides what that means for it. */
type Outcome =
  | { type: "sent" | "duplicate" | "cancelled" | "unrenderable" }
  | { type: "paced"; delayMs: number }
  | { type: "failed"; chatId: number; action: SendFailure };

/** A failed send's action once "unpaid" is dealt with (it becomes a wait, in `deliver`). */
type SendFailure = Exclude<TelegramErrorAction, { action: "unpaid" }>;

type Outgoing =
  | { method: "sendMessage"; text: string; parseMode?: "HTML" }
  | { method: "sendPhoto"; photo: string; caption?: string; parseMode?: "HTML" }
  | { method: "copyMessage"; fromChatId: number; messageId: number };

const STATS_TTL_MS = 40 * 86_400_000;
const STORY_CACHE_MS = 15_000;
const STORY_CACHE_MAX = 200;
/**
 * A send whose global slot is further away than this (after a 429 pushed the schedule) is put
 * back on the queue for that long instead of holding a send slot, and a stop, while it waits.
 */
const MAX_SLOT_WAIT_MS = 2000;

/** Sends queued deliveries to Telegram. Several may run, in one process or many. */
export class DeliveryWorker {
  readonly worker: Worker<QueuedJob>;
  private readonly api: Api;
  private readonly options: DeliveryWorkerOptions;
  private readonly admission: SendAdmission;
  private readonly gate: SendGate;
  private readonly ledger: LedgerWriter;
  private stopping = false;
  private readonly storyCache = new Map<string, { at: number; story: Story | undefined }>();
  private readonly textCache = new Map<string, string>();
  private running: Promise<void> | undefined;

  constructor(options: DeliveryWorkerOptions) {
    this.options = options;
    // No auto-retry plugin: a 429 must pause the whole queue, which only the worker can do.
    this.api = new Api(options.token, {
      apiRoot: options.apiRoot,
      timeoutSeconds: options.requestTimeoutSeconds ?? 30,
    });
    const lockDuration = options.lockDurationMs ?? 30_000;
    const concurrency = options.concurrency ?? defaultConcurrency(options.ratePerSecond);
    this.gate = new SendGate(concurrency);
    this.admission = new SendAdmission({
      redis: options.redis,
      keys: options.keys,
      ratePerSecond: options.ratePerSecond,
      ...(options.freeRatePerSecond !== undefined ? { freeRatePerSecond: options.freeRatePerSecond } : {}),
    });
    this.ledger = new LedgerWriter(
      (entries, counter) => options.queue.markSentMany(entries, counter),
      () => this.counter("sent"),
    );
    this.worker = new Worker<QueuedJob>(DELIVERY_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: options.connection,
      prefix: options.keys.queuePrefix,
      autorun: false,
      concurrency,
      limiter: limiterFor(options.ratePerSecond),
      lockDuration,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 3,
      // A finished job is worth nothing: the ledger remembers the send, dead letters the failure.
      // (KeepJobs objects: at worker level BullMQ's script rejects a plain `true`.)
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 0 },
    });
    this.worker.on("failed", (job, err) => {
      void this.onFailed(job, err);
    });
    this.worker.on("error", (err) => {
      options.logger.warn({ err: err.message }, "delivery worker error");
    });
  }

  /** Starts taking jobs. Resolves once the worker is connected. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = this.worker.run().catch((err: Error) => {
      this.options.logger.error({ err: err.message }, "delivery worker stopped");
    });
    await this.worker.waitUntilReady();
  }

  /**
   * Stops taking jobs, lets the sends in flight finish (a batch puts its unsent chats back on the
   * queue), then disconnects.
   */
  async close(): Promise<void> {
    this.stopping = true;
    await this.worker.close();
    await this.running;
  }

  /** The newest dead letters first. */
  async listDeadLetters(limit = 100): Promise<DeadLetter[]> {
    const raws = await this.options.redis.lrange(this.options.keys.deliveryDeadLetters, 0, limit - 1);
    return raws.flatMap((raw) => {
      const parsed = deadLetterSchema.safeParse(safeJson(raw));
      return parsed.success ? [parsed.data as DeadLetter] : [];
    });
  }

  /**
   * Puts every dead letter back on the queue (after an outage is fixed). Letters whose payload is
   * invalid stay in the list. The ledger still applies: a chat that got the message meanwhile
   * does not get it again.
   */
  async retryDeadLetters(): Promise<{ requeued: number; kept: number }> {
    const { redis, keys, queue } = this.options;
    // Read and clear in one transaction, so two admins retrying at once do not both requeue.
    const replies =
      (await redis.multi().lrange(keys.deliveryDeadLetters, 0, -1).del(keys.deliveryDeadLetters).exec()) ??
      [];
    const raws = (replies[0]?.[1] as string[] | undefined) ?? [];
    const jobs: DeliveryJob[] = [];
    const kept: string[] = [];
    for (const raw of raws) {
      const letter = deadLetterSchema.safeParse(safeJson(raw));
      const job = letter.success ? deliveryJobSchema.safeParse(letter.data.job) : undefined;
      // A resend starts its attempts afresh, whatever a batch spent before.
      if (job?.success) jobs.push(job.data.kind === "story" ? { ...job.data, tried: undefined } : job.data);
      else kept.push(raw);
    }
    try {
      await queue.enqueue(jobs.reverse());
    } catch (err) {
      await redis.rpush(keys.deliveryDeadLetters, ...raws);
      throw err;
    }
    if (kept.length > 0) await redis.rpush(keys.deliveryDeadLetters, ...kept);
    return { requeued: jobs.length, kept: kept.length };
  }

  /** Today's counters (local day in TIMEZONE): sent, rate-limited, deactivated:blocked, … */
  async statsOf(isoDate = localDate(this.options.timeZone)): Promise<Record<string, number>> {
    const raw = await this.options.redis.hgetall(this.options.keys.deliveryStats(isoDate));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  // ------------------------------------------------------------------------------ one job

  private async process(job: Job<QueuedJob>, token: string | undefined): Promise<string> {
    const parsed = queuedJobSchema.safeParse(job.data);
    if (!parsed.success) {
      await this.deadLetter(
        job.data,
        `invalid payload: ${parsed.error.issues[0]?.message ?? "?"}`,
        attemptOf(job),
      );
      return "dead-letter";
    }
    const data = parsed.data;
    return data.kind === "stories"
      ? this.processBatch(job, data, token)
      : this.processSingle(job, data, token);
  }

  private async processSingle(
    job: Job<QueuedJob>,
    data: DeliveryJob,
    token: string | undefined,
  ): Promise<string> {
    const outcome = await this.gate.run(() => this.deliver(data));
    switch (outcome.type) {
      case "paced":
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError();
      case "unrenderable":
        await this.deadLetter(data, "story no longer stored", attemptOf(job));
        return "dead-letter";
      case "failed":
        return this.handleFailure(job, data, outcome.chatId, outcome.action);
      default:
        return outcome.type;
    }
  }

  /**
   * A story to up to 100 chats, each through the same `deliver` as a single job, sharing this
   * process's send gate. What a single job would wait for or retry is handed over to a single job
   * of its own, delayed as long. On stop, the chats not yet started stay on this job, which goes
   * back to the queue; an unexpected error (Redis away) fails the job, and its retry skips the chats
   * the ledger has.
   */
  private async processBatch(
    job: Job<QueuedJob>,
    batch: StoryBatchJob,
    token: string | undefined,
  ): Promise<string> {
    const handOver = new Map<string, { delayMs: number; tried: number; jobs: DeliveryJob[] }>();
    const later: HandOver = (single, delayMs, tried = 0) => {
      // Bucketed to 100 ms, so a batch's hand-overs are a few queue writes, not one per chat.
      const bucket = Math.ceil(delayMs / 100) * 100;
      const group = handOver.get(`${bucket}/${tried}`);
      const job = tried > 0 ? { ...single, tried } : single;
      if (group) group.jobs.push(job);
      else handOver.set(`${bucket}/${tried}`, { delayMs: bucket, tried, jobs: [job] });
    };
    const notStarted: StoryBatchJob["chats"] = [];
    const tally = new Map<string, number>();
    let firstError: Error | undefined;

    await Promise.all(
      expandStoryBatch(batch).map((single) =>
        this.gate
          .run(async () => {
            if (this.stopping || firstError) {
              notStarted.push([single.chatId, single.language]);
              return "not-started";
            }
            const outcome = await this.deliver(single);
            switch (outcome.type) {
              case "paced":
                later(single, outcome.delayMs);
                return "handed-over";
              case "unrenderable":
                await this.deadLetter(single, "story no longer stored", 1);
                return "dead-letter";
              case "failed":
                return this.handleBatchFailure(single, outcome.chatId, outcome.action, later);
              default:
                return outcome.type;
            }
          })
          .then(
            (result) => tally.set(result, (tally.get(result) ?? 0) + 1),
            (err: Error) => {
              firstError ??= err;
              notStarted.push([single.chatId, single.language]);
            },
          ),
      ),
    );

    const { queue } = this.options;
    for (const { delayMs, tried, jobs } of handOver.values()) {
      await queue.enqueue(jobs, { delayMs, ...(tried > 0 ? { attemptsLeft: queue.attempts - tried } : {}) });
    }
    if (notStarted.length > 0 && !firstError) {
      await job.updateData({ ...batch, chats: notStarted });
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    // The retry (BullMQ's backoff) starts the whole batch again: the ledger skips who got it.
    if (firstError) throw firstError;
    return [...tally].map(([k, v]) => `${k} ${v}`).join(", ");
  }

  /**
   * One chat's message: the cancel check (tracked broadcasts), admission (ledger, pacing, global
   * slot), rendering, the send (following one migration) and the ledger record.
   */
  private async deliver(data: DeliveryJob): Promise<Outcome> {
    const { redis, keys } = this.options;
    const ref = deliveryRef(data);
    // A cancelled broadcast's jobs still in the queue end here, unsent.
    if (isTracked(data) && (await redis.exists(keys.deliveryCancelled(refToken(ref))))) {
      await this.countRef(data, "cancelled");
      return { type: "cancelled" };
    }
    const paidJob = data.kind === "copy" && data.paid === true;
    const admission = await this.admission.admit(
      refToken(ref),
      data.chatId,
      this.paceOf(data.chatId),
      paidJob,
    );
    if (admission.verdict === "duplicate") {
      this.emit({ type: "duplicate-skipped", chatId: data.chatId });
      await this.count("duplicate-skipped");
      await this.countRef(data, "duplicate");
      return { type: "duplicate" };
    }
    if (admission.verdict === "paced") {
      this.emit({ type: "paced", chatId: data.chatId, delayMs: admission.delayMs });
      return { type: "paced", delayMs: admission.delayMs };
    }
    if (admission.waitMs > MAX_SLOT_WAIT_MS) return { type: "paced", delayMs: admission.waitMs };
    // Under a millisecond is below the timer's resolution: such a send goes at once.
    if (admission.waitMs >= 1) await sleep(admission.waitMs);

    const outgoing = await this.render(data);
    if (!outgoing) return { type: "unrenderable" };

    let chatId = data.chatId;
    // A migration hands over to a new chat id once; a second one in a row is treated as a fault.
    for (let hop = 0; hop < 2; hop++) {
      try {
        await this.send(chatId, outgoing, admission.paid);
      } catch (err) {
        const action = classifyTelegramError(err);
        if (action.action === "unpaid") {
          if (!admission.paid)
            return { type: "failed", chatId, action: { action: "drop", reason: action.reason } };
          // No Stars left: the rest of this ref goes unpaid, within the free rate; this message too,
          // once its chat's pace slot (taken by this attempt) frees.
          await this.admission.markUnpaid(refToken(ref), this.options.queue.sentTtlMs);
          await this.count("unpaid");
          await this.countRef(data, "unpaid");
          this.options.logger.warn(
            { chatId, reason: action.reason },
            "paid broadcast refused; sending unpaid",
          );
          return { type: "paced", delayMs: this.paceOf(chatId) };
        }
        if (action.action === "migrate" && hop === 0) {
          await this.options.subscriptions.migrate(chatId, action.toChatId);
          this.emit({ type: "migrated", fromChatId: chatId, toChatId: action.toChatId });
          await this.count("migrated");
          chatId = action.toChatId;
          continue;
        }
        return { type: "failed", chatId, action };
      }
      const chats = chatId === data.chatId ? [chatId] : [data.chatId, chatId];
      try {
        await this.ledger.record(ref, chats);
      } catch (err) {
        // The message is out: failing the job now would only send it again.
        this.options.logger.warn({ chatId, err: (err as Error).message }, "sent, but could not record it");
      }
      await this.countRef(data, "sent");
      if (admission.paid) await this.countRef(data, "paid");
      this.emit({ type: "sent", kind: data.kind, chatId });
      return { type: "sent" };
    }
    return { type: "failed", chatId, action: { action: "drop", reason: "migrated twice in a row" } };
  }

  private async handleFailure(
    job: Job<QueuedJob>,
    data: DeliveryJob,
    chatId: number,
    action: SendFailure,
  ): Promise<string> {
    switch (action.action) {
      case "rate-limited":
        await this.rateLimited(action.retryAfterMs);
        await this.countRef(data, "rate-limited");
        // The queue is paused now; this job goes back without using an attempt.
        throw Worker.RateLimitError();
      case "deactivate":
        return this.deactivate(data, chatId, action);
      case "drop":
      case "migrate":
        await this.deadLetter(data, action.reason, attemptOf(job));
        return "dead-letter";
      case "retry": {
        const attempt = attemptOf(job);
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
          await this.deadLetter(data, action.reason, attempt);
          return "dead-letter";
        }
        this.emit({ type: "retrying", chatId, reason: action.reason, attempt });
        await this.count(`retry:${reasonClass(action.reason)}`);
        throw new Error(action.reason);
      }
    }
  }

  /** A batch's chat failed: the same decisions as `handleFailure`, with waits handed over. */
  private async handleBatchFailure(
    data: DeliveryJob,
    chatId: number,
    action: SendFailure,
    later: HandOver,
  ): Promise<string> {
    switch (action.action) {
      case "rate-limited":
        await this.rateLimited(action.retryAfterMs);
        later(data, action.retryAfterMs);
        return "handed-over";
      case "deactivate":
        return this.deactivate(data, chatId, action);
      case "drop":
      case "migrate":
        await this.deadLetter(data, action.reason, 1);
        return "dead-letter";
      case "retry":
        this.emit({ type: "retrying", chatId, reason: action.reason, attempt: 1 });
        await this.count(`retry:${reasonClass(action.reason)}`);
        if (this.options.queue.attempts <= 1) {
          await this.deadLetter(data, action.reason, 1);
          return "dead-letter";
        }
        // Not before the chat's pace slot (taken by this attempt) frees: that would only be paced again.
        later(data, Math.max(this.options.queue.backoffMs, this.paceOf(chatId)), 1);
        return "handed-over";
    }
  }

  /** Telegram said 429: every process waits `retry_after` (send schedule and job fetching both). */
  private async rateLimited(retryAfterMs: number): Promise<void> {
    this.emit({ type: "rate-limited", retryAfterMs });
    await this.count("rate-limited");
    this.options.logger.warn({ retryAfterMs }, "Telegram says too many requests; pausing deliveries");
    await this.admission.pause(retryAfterMs);
    await this.options.queue.queue.rateLimit(retryAfterMs);
  }

  private async deactivate(
    data: DeliveryJob,
    chatId: number,
    action: Extract<TelegramErrorAction, { action: "deactivate" }>,
  ): Promise<string> {
    await this.options.subscriptions.setStatus(chatId, action.status);
    this.emit({ type: "deactivated", chatId, status: action.status, reason: action.reason });
    await this.count(`deactivated:${action.status}`);
    await this.countRef(data, action.status);
    this.options.logger.info({ chatId, status: action.status }, "chat unreachable; subscription deactivated");
    return "deactivated";
  }

  /** A job BullMQ gave up on by itself (stalled too often, or an unexpected error on the last try). */
  private async onFailed(job: Job<QueuedJob> | undefined, err: Error): Promise<void> {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(err.message);
    if (!final) return;
    // A batch becomes one letter per chat: retryDeadLetters requeues single jobs, and the ledger
    // skips the chats the batch did reach.
    const batch = queuedJobSchema.safeParse(job.data);
    const payloads =
      batch.success && batch.data.kind === "stories" ? expandStoryBatch(batch.data) : [job.data];
    try {
      for (const payload of payloads) await this.deadLetter(payload, err.message, job.attemptsMade);
    } catch (e) {
      this.options.logger.error({ err: (e as Error).message }, "could not store a dead letter");
    }
  }

  private async deadLetter(payload: unknown, reason: string, attempts: number): Promise<void> {
    const { redis, keys, logger } = this.options;
    const letter: DeadLetter = { job: payload, reason, at: new Date().toISOString(), attempts };
    await redis
      .multi()
      .lpush(keys.deliveryDeadLetters, JSON.stringify(letter))
      .ltrim(keys.deliveryDeadLetters, 0, (this.options.maxDeadLetters ?? 10_000) - 1)
      .exec();
    const chatId = (payload as { chatId?: unknown } | null)?.chatId;
    this.emit({ type: "dead-letter", chatId: typeof chatId === "number" ? chatId : undefined, reason });
    await this.count(`dead:${reasonClass(reason)}`);
    const tracked = deliveryJobSchema.safeParse(payload);
    if (tracked.success) await this.countRef(tracked.data, "failed");
    logger.warn({ chatId, reason }, "delivery given up; kept as a dead letter");
  }

  // ------------------------------------------------------------------------------ sending

  /** `paid`: with allow_paid_broadcast (Telegram: up to 1,000/s, billed in Stars over the free 30/s). */
  private async send(chatId: number, message: Outgoing, paid = false): Promise<void> {
    const paidOption = paid ? { allow_paid_broadcast: true } : {};
    if (message.method === "sendMessage") {
      await this.api.sendMessage(chatId, message.text, {
        ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
        ...paidOption,
      });
    } else if (message.method === "copyMessage") {
      await this.api.copyMessage(chatId, message.fromChatId, message.messageId, paidOption);
    } else {
      await this.api.sendPhoto(chatId, message.photo, {
        ...(message.caption !== undefined ? { caption: message.caption } : {}),
        ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
        ...paidOption,
      });
    }
  }

  private async render(data: DeliveryJob): Promise<Outgoing | undefined> {
    switch (data.kind) {
      case "story": {
        const cacheKey = `${data.storyId}\u0000${data.language}`;
        const story = await this.storyOf(data.storyId);
        if (!story) return undefined;
        let text = this.textCache.get(cacheKey);
        if (text === undefined) {
          text = formatStory(story, {
            language: data.language,
            translate: this.options.translate,
            timeZone: this.options.timeZone,
          });
          if (this.textCache.size >= STORY_CACHE_MAX) this.textCache.clear();
          this.textCache.set(cacheKey, text);
        }
        return { method: "sendMessage", text, parseMode: "HTML" };
      }
      case "text":
        return {
          method: "sendMessage",
          text: data.text,
          ...(data.parseMode ? { parseMode: data.parseMode } : {}),
        };
      case "photo":
        return {
          method: "sendPhoto",
          photo: data.photo,
          ...(data.caption !== undefined ? { caption: data.caption } : {}),
          ...(data.parseMode ? { parseMode: data.parseMode } : {}),
        };
      case "copy":
        return { method: "copyMessage", fromChatId: data.fromChatId, messageId: data.messageId };
    }
  }

  /**
   * A story for a fan-out of thousands of jobs is read once per few seconds, not once per chat.
   * The short cache also picks up "also reported by" added while the fan-out runs.
   */
  private async storyOf(storyId: string): Promise<Story | undefined> {
    const now = Date.now();
    const cached = this.storyCache.get(storyId);
    if (cached && now - cached.at < STORY_CACHE_MS) return cached.story;
    const story = await this.options.stories.getStory(storyId);
    if (this.storyCache.size >= STORY_CACHE_MAX) this.storyCache.clear();
    this.storyCache.set(storyId, { at: now, story });
    // The formatted texts of an older copy are stale now.
    for (const key of this.textCache.keys())
      if (key.startsWith(`${storyId}\u0000`)) this.textCache.delete(key);
    return story;
  }

  /** Telegram's per-chat limits: about one message a second to a private chat, 20 a minute to a group. */
  private paceOf(chatId: number): number {
    return chatId < 0 ? (this.options.groupPaceMs ?? 3000) : (this.options.privatePaceMs ?? 1000);
  }

  // ------------------------------------------------------------------------------ counters

  private counter(field: string): SentCounter {
    return {
      key: this.options.keys.deliveryStats(localDate(this.options.timeZone)),
      field,
      ttlMs: STATS_TTL_MS,
    };
  }

  private async count(field: string): Promise<void> {
    const c = this.counter(field);
    await this.options.redis
      .multi()
      .hincrby(c.key, c.field, 1)
      .pexpire(c.key, c.ttlMs)
      .exec()
      .catch(() => {});
  }

  /** Per-ref outcome counters of tracked jobs (broadcast progress reads them). */
  private async countRef(data: DeliveryJob, field: string): Promise<void> {
    if (!isTracked(data)) return;
    const key = this.options.keys.deliveryRefStats(refToken(deliveryRef(data)));
    await this.options.redis
      .multi()
      .hincrby(key, field, 1)
      .pexpire(key, this.options.queue.sentTtlMs)
      .exec()
      .catch(() => {});
  }

  private emit(event: DeliveryEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, "delivery event hook failed");
    }
  }
}

/**
 * Enough sends in flight to reach the rate when a Bot API call takes about half a second, and no
 * more: each in-flight job is also one message that may be sent twice if the process is killed.
 */
export function defaultConcurrency(ratePerSecond: number): number {
  return Math.min(64, Math.max(2, Math.ceil(ratePerSecond / 2)));
}

/**
 * BullMQ's limiter on fetching jobs. The rate itself is kept by `SendAdmission` (a batch job is
 * many messages, which BullMQ cannot count); this limiter is what a 429 pauses (`rateLimit`) and
 * keeps single jobs from being fetched much faster than they may go out. Windows of about 100 ms
 * rather than 1 s, so a window's late jobs and the next one's early ones do not bunch up.
 */
export function limiterFor(ratePerSecond: number): { max: number; duration: number } {
  const max = Math.max(1, Math.round(ratePerSecond / 10));
  return { max, duration: Math.ceil((1000 * max) / ratePerSecond) };
}

/** The attempt a job is on, counting from 1 and including a batch's try before it was handed over. */
function attemptOf(job: Job<QueuedJob>): number {
  const tried = job.data.kind === "story" ? (job.data.tried ?? 0) : 0;
  return tried + job.attemptsMade + 1;
}

/** Puts a batch's chat back on the queue as a single job, `delayMs` from now. */
type HandOver = (job: DeliveryJob, delayMs: number, tried?: number) => void;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** "502 Bad Gateway" → "502", "network: …" → "network": a counter field per kind of failure. */
function reasonClass(reason: string): string {
  const first = /^[A-Za-z0-9-]+/.exec(reason)?.[0] ?? "other";
  return first.toLowerCase().slice(0, 30);
}

function isTracked(data: DeliveryJob): boolean {
  return data.kind === "copy" && data.track === true;
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
