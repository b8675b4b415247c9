/**
 * The consumer side of delivery: takes jobs from the queue and sends them to Telegram within its
 * limits, whatever happens to Telegram, the network or this process.
 *
 * - Global limit: BullMQ's limiter (`SEND_RATE_LIMIT` per second), kept in Redis, so it holds
 *   across every worker process sharing it. A 429 pauses the whole queue for `retry_after`.
 * - Per-chat pacing: about one message a second to a private chat and 20 a minute to a group
 *   (Telegram's limits); a job that comes too early is moved to the delayed set, not retried.
 * - Once per chat: the ledger (`DeliveryQueue.wasSent/markSent`) is checked before and written
 *   right after each send. A process killed between the two may send that one message again on
 *   restart (at most one per job in flight); nothing is ever lost.
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
import {
  DELIVERY_QUEUE_NAME,
  type DeliveryJob,
  type DeliveryKind,
  type DeliveryQueue,
  deliveryJobSchema,
  deliveryRef,
  refToken,
} from "./queue.js";
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
  /** Jobs in flight in this process; by default enough to reach the rate at ~0.5 s per send. */
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

type Outgoing =
  | { method: "sendMessage"; text: string; parseMode?: "HTML" }
  | { method: "sendPhoto"; photo: string; caption?: string; parseMode?: "HTML" }
  | { method: "copyMessage"; fromChatId: number; messageId: number };

const STATS_TTL_MS = 40 * 86_400_000;
const STORY_CACHE_MS = 15_000;
const STORY_CACHE_MAX = 200;

// Take the chat's pace slot, or say how long until it is free: one round trip, no race between
// two workers reading and then setting.
const PACE_SCRIPT = `if redis.call("set", KEYS[1], "1", "PX", ARGV[1], "NX") then return 0 end
local ttl = redis.call("pttl", KEYS[1])
if ttl < 1 then return 1 end
return ttl`;

/** Sends queued deliveries to Telegram. Several may run, in one process or many. */
export class DeliveryWorker {
  readonly worker: Worker<DeliveryJob>;
  private readonly api: Api;
  private readonly options: DeliveryWorkerOptions;
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
    this.worker = new Worker<DeliveryJob>(DELIVERY_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: options.connection,
      prefix: options.keys.queuePrefix,
      autorun: false,
      concurrency: options.concurrency ?? defaultConcurrency(options.ratePerSecond),
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

  /** Stops taking jobs, waits for the ones in flight to finish, then disconnects. */
  async close(): Promise<void> {
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
      if (job?.success) jobs.push(job.data);
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

  private async process(job: Job<DeliveryJob>, token: string | undefined): Promise<string> {
    const parsed = deliveryJobSchema.safeParse(job.data);
    if (!parsed.success) {
      await this.deadLetter(job.data, `invalid payload: ${parsed.error.issues[0]?.message ?? "?"}`, job);
      return "dead-letter";
    }
    const data = parsed.data;
    const ref = deliveryRef(data);
    // A cancelled broadcast's jobs still in the queue end here, unsent.
    if (
      isTracked(data) &&
      (await this.options.redis.exists(this.options.keys.deliveryCancelled(refToken(ref))))
    ) {
      await this.countRef(data, "cancelled");
      return "cancelled";
    }
    const [alreadySent] = await this.options.queue.wasSent([{ ref, chatId: data.chatId }]);
    if (alreadySent) {
      this.emit({ type: "duplicate-skipped", chatId: data.chatId });
      await this.count("duplicate-skipped");
      await this.countRef(data, "duplicate");
      return "duplicate";
    }

    const wait = await this.takePaceSlot(data.chatId);
    if (wait > 0) {
      this.emit({ type: "paced", chatId: data.chatId, delayMs: wait });
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }

    const outgoing = await this.render(data);
    if (!outgoing) {
      await this.deadLetter(data, "story no longer stored", job);
      return "dead-letter";
    }

    let chatId = data.chatId;
    // A migration hands over to a new chat id once; a second one in a row is treated as a fault.
    for (let hop = 0; hop < 2; hop++) {
      try {
        await this.send(chatId, outgoing);
      } catch (err) {
        const action = classifyTelegramError(err);
        if (action.action === "migrate" && hop === 0) {
          await this.options.subscriptions.migrate(chatId, action.toChatId);
          this.emit({ type: "migrated", fromChatId: chatId, toChatId: action.toChatId });
          await this.count("migrated");
          chatId = action.toChatId;
          continue;
        }
        return this.handleFailure(job, data, chatId, action);
      }
      const chats = chatId === data.chatId ? [chatId] : [data.chatId, chatId];
      try {
        await this.options.queue.markSent(ref, chats, this.counter("sent"));
      } catch (err) {
        // The message is out: failing the job now would only send it again.
        this.options.logger.warn({ chatId, err: (err as Error).message }, "sent, but could not record it");
      }
      await this.countRef(data, "sent");
      this.emit({ type: "sent", kind: data.kind, chatId });
      return "sent";
    }
    return "unreachable";
  }

  private async handleFailure(
    job: Job<DeliveryJob>,
    data: DeliveryJob,
    chatId: number,
    action: TelegramErrorAction,
  ): Promise<string> {
    const { logger, subscriptions } = this.options;
    switch (action.action) {
      case "rate-limited": {
        this.emit({ type: "rate-limited", retryAfterMs: action.retryAfterMs });
        await this.count("rate-limited");
        logger.warn(
          { retryAfterMs: action.retryAfterMs },
          "Telegram says too many requests; pausing deliveries",
        );
        // Pauses every worker on this queue, then puts this job back without using an attempt.
        await this.options.queue.queue.rateLimit(action.retryAfterMs);
        throw Worker.RateLimitError();
      }
      case "deactivate":
        await subscriptions.setStatus(chatId, action.status);
        this.emit({ type: "deactivated", chatId, status: action.status, reason: action.reason });
        await this.count(`deactivated:${action.status}`);
        await this.countRef(data, action.status);
        logger.info({ chatId, status: action.status }, "chat unreachable; subscription deactivated");
        return "deactivated";
      case "drop":
      case "migrate":
        await this.deadLetter(data, action.reason, job);
        return "dead-letter";
      case "retry": {
        const attempt = job.attemptsMade + 1;
        if (attempt >= (job.opts.attempts ?? 1)) {
          await this.deadLetter(data, action.reason, job);
          return "dead-letter";
        }
        this.emit({ type: "retrying", chatId, reason: action.reason, attempt });
        await this.count(`retry:${reasonClass(action.reason)}`);
        throw new Error(action.reason);
      }
    }
  }

  /** A job BullMQ gave up on by itself (stalled too often, or an unexpected error on the last try). */
  private async onFailed(job: Job<DeliveryJob> | undefined, err: Error): Promise<void> {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(err.message);
    if (!final) return;
    await this.deadLetter(job.data, err.message, job).catch((e: Error) => {
      this.options.logger.error({ err: e.message }, "could not store a dead letter");
    });
  }

  private async deadLetter(payload: unknown, reason: string, job: Job<DeliveryJob>): Promise<void> {
    const { redis, keys, logger } = this.options;
    const letter: DeadLetter = {
      job: payload,
      reason,
      at: new Date().toISOString(),
      attempts: job.attemptsMade + 1,
    };
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

  private async send(chatId: number, message: Outgoing): Promise<void> {
    if (message.method === "sendMessage") {
      await this.api.sendMessage(chatId, message.text, {
        ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
      });
    } else if (message.method === "copyMessage") {
      await this.api.copyMessage(chatId, message.fromChatId, message.messageId);
    } else {
      await this.api.sendPhoto(chatId, message.photo, {
        ...(message.caption !== undefined ? { caption: message.caption } : {}),
        ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
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

  /** 0 when the chat may get a message now (the slot is taken), else ms until it may. */
  private async takePaceSlot(chatId: number): Promise<number> {
    const gap = chatId < 0 ? (this.options.groupPaceMs ?? 3000) : (this.options.privatePaceMs ?? 1000);
    const reply = await this.options.redis.eval(PACE_SCRIPT, 1, this.options.keys.deliveryPace(chatId), gap);
    return Number(reply);
  }

  // ------------------------------------------------------------------------------ counters

  private counter(field: string): { key: string; field: string; ttlMs: number } {
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
 * BullMQ's limiter counts jobs in fixed windows that start with the window's first job. With one
 * 1-second window, a window's late jobs and the next window's early ones can put nearly twice
 * the limit into one real second (measured: 36 for a limit of 25). Windows of about 100 ms with
 * the same rate keep any second within about one window's worth of the limit.
 */
export function limiterFor(ratePerSecond: number): { max: number; duration: number } {
  const max = Math.max(1, Math.round(ratePerSecond / 10));
  // Rounded up: a window a little long keeps the rate at or under the limit, never over.
  return { max, duration: Math.ceil((1000 * max) / ratePerSecond) };
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
