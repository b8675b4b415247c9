/**
 * The producer side of delivery: a BullMQ queue of one job per (message, chat), or per story and
 * up to `STORY_BATCH_MAX` chats for a fan-out, and the once-per-chat ledger that makes
 * enqueueing idempotent.
 *
 * A job id is derived from (ref, chat), or (ref, first chat of the batch), so BullMQ refuses a
 * second copy while the first still exists. Completed jobs are removed at once (memory), so that alone is not enough: the worker
 * also records every chat it sent a ref to (`deliverySent`, a SET per ref with a TTL), and both
 * the producer and the worker consult it. Re-polling, a restart or two processes enqueueing the
 * same message therefore never send it twice.
 */
import { createHash } from "node:crypto";
import { type JobsOptions, Queue } from "bullmq";
import { z } from "zod";
import { LANGUAGES } from "../i18n/languages.js";
import { type DestinationRef, destinationKey } from "../storage/destinations.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import { CAPTION_LIMIT, MESSAGE_LIMIT } from "./formatStory.js";
import { DELIVERY_DEFAULTS } from "./options.js";

export const DELIVERY_QUEUE_NAME = "deliveries";

const chatId = z.number().int().refine(Number.isSafeInteger, "chat id out of range");
/** `rates:2026-11-24`, `broadcast:42`: what makes two jobs "the same message". */
const ref = z.string().min(1).max(200);
const parseMode = z.enum(["HTML"]).optional();
/**
 * A forum topic's message_thread_id: the job goes to that topic of `chatId`. Absent for a chat
 * (every job queued before topics existed), so old payloads stay valid.
 */
const threadId = z.number().int().positive().optional();
/**
 * Sent with Telegram's `disable_notification` (a chat's quiet hours in `silent` mode). Absent: with
 * sound, so every job queued before the flag existed still parses and sends as it did.
 */
const silent = z.literal(true).optional();

/** A story, formatted at send time in the recipient's language (so the payload stays tiny). */
export const storyJobSchema = z.object({
  kind: z.literal("story"),
  storyId: z.string().min(1),
  chatId,
  threadId,
  language: z.enum(LANGUAGES),
  silent,
  /** Send attempts a story batch already spent on this chat before handing it over (5xx). */
  tried: z.number().int().min(1).max(100).optional(),
});
/** Most chats in one story batch: ~4 s of sending at 25/s, one BullMQ job's overhead per 100 sends. */
export const STORY_BATCH_MAX = 100;

/**
 * A story to many chats in one job: a fan-out's fast path. Each `[chat, language]` pair is
 * handled like a `story` job of its own; a chat that needs waiting or retrying (paced, 5xx, 429,
 * migration) is handed over to one, so every rule of single jobs holds for it.
 */
export const storyBatchJobSchema = z.object({
  kind: z.literal("stories"),
  storyId: z.string().min(1),
  // [chat, language] or [chat, language, thread] for a forum topic.
  chats: z
    .array(
      z.union([
        z.tuple([chatId, z.enum(LANGUAGES)]),
        z.tuple([chatId, z.enum(LANGUAGES), z.number().int().positive()]),
      ]),
    )
    .min(1)
    .max(STORY_BATCH_MAX),
  /** Every chat of the batch gets it without sound; a fan-out batches silent chats apart. */
  silent,
});
/** A ready text, e.g. an admin broadcast. */
export const textJobSchema = z.object({
  kind: z.literal("text"),
  ref,
  chatId,
  threadId,
  text: z.string().min(1).max(MESSAGE_LIMIT),
  parseMode,
});
/** A photo by URL or Telegram file_id, with an optional caption. */
export const photoJobSchema = z.object({
  kind: z.literal("photo"),
  ref,
  chatId,
  threadId,
  photo: z.string().min(1).max(2000),
  caption: z.string().max(CAPTION_LIMIT).optional(),
  parseMode,
});

/**
 * A copy of a message that already exists in a chat (an admin broadcast): Telegram's copyMessage
 * keeps text formatting, photos with captions and forwarded content exactly, so what the admin
 * previewed is what recipients get. `track` asks the worker for per-ref counters and honours a
 * cancellation of the ref.
 */
export const copyJobSchema = z.object({
  kind: z.literal("copy"),
  ref,
  chatId,
  threadId,
  fromChatId: chatId,
  messageId: z.number().int().positive(),
  track: z.literal(true).optional(),
  /**
   * A paid broadcast (PAID_BROADCAST): when no free slot is open, the message goes with
   * allow_paid_broadcast, within SEND_RATE_LIMIT, paid in Stars.
   */
  paid: z.literal(true).optional(),
});

/**
 * Every job payload, validated when the worker reads it back from Redis. A new kind (e.g. the
 * daily rates message rendered per language) is one more schema here and one renderer in the
 * worker.
 */
export const deliveryJobSchema = z.discriminatedUnion("kind", [
  storyJobSchema,
  textJobSchema,
  photoJobSchema,
  copyJobSchema,
]);

export type DeliveryJob = z.infer<typeof deliveryJobSchema>;
export type DeliveryKind = DeliveryJob["kind"];
export type StoryBatchJob = z.infer<typeof storyBatchJobSchema>;
/** What the queue holds: one chat's message, or a story batch. */
export type QueuedJob = DeliveryJob | StoryBatchJob;

/** Every payload the worker may read back from Redis. */
export const queuedJobSchema = z.discriminatedUnion("kind", [
  ...deliveryJobSchema.options,
  storyBatchJobSchema,
]);

/** The single-chat jobs a story batch stands for. */
export function expandStoryBatch(batch: StoryBatchJob): Array<z.infer<typeof storyJobSchema>> {
  return batch.chats.map(([chat, language, thread]) => ({
    kind: "story",
    storyId: batch.storyId,
    chatId: chat,
    ...(thread !== undefined ? { threadId: thread } : {}),
    language,
    ...(batch.silent ? { silent: true as const } : {}),
  }));
}

/** One chat's entry in a story batch (no third element for a chat, so the JSON has no null). */
export function storyBatchEntry(job: {
  chatId: number;
  threadId?: number | undefined;
  language: StoryBatchJob["chats"][number][1];
}): StoryBatchJob["chats"][number] {
  return job.threadId === undefined ? [job.chatId, job.language] : [job.chatId, job.language, job.threadId];
}

/** The idempotency ref of a story's delivery. */
export function storyRef(storyId: string): string {
  return `story:${storyId}`;
}

/** What makes two jobs the same message: one send per (ref, chat). */
export function deliveryRef(job: DeliveryJob): string {
  return job.kind === "story" ? storyRef(job.storyId) : job.ref;
}

/**
 * A short, key- and job-id-safe form of a ref. Readable refs (`rates:2026-11-24`) keep their
 * shape with ":" as "." (BullMQ forbids ":" in job ids); story ids are URLs or guids of any length
 * and alphabet, so anything else is hashed. "." never occurs in a readable ref and "#" starts
 * every hashed one, so two refs never share a token.
 */
export function refToken(value: string): string {
  if (/^[A-Za-z0-9_:-]{1,40}$/.test(value)) return value.replace(/:/g, ".");
  return `#${createHash("sha1").update(value).digest("base64url").slice(0, 22)}`;
}

/** The BullMQ job id of (ref, destination); a topic's is `<chat>.<thread>` (BullMQ forbids ":"). */
export function deliveryJobId(value: string, chat: DestinationRef): string {
  return `${refToken(value)}|${destinationKey(chat).replace(":", ".")}`;
}

export type DeliveryQueueOptions = {
  /** BullMQ's connection (maxRetriesPerRequest: null). */
  connection: Redis;
  /** The app's connection, for the ledger. */
  redis: Redis;
  keys: RedisKeys;
  /** Send attempts for transient failures (5xx, network) before a dead letter. @defaultValue DELIVERY_DEFAULTS.attempts */
  attempts?: number;
  /** First retry delay; doubles each attempt. @defaultValue DELIVERY_DEFAULTS.backoffMs */
  backoffMs?: number;
  /** How long "sent to this chat" is remembered. @defaultValue DELIVERY_DEFAULTS.sentTtlMs */
  sentTtlMs?: number;
  /** Queue connection errors (Redis away); BullMQ retries on its own. */
  onError?: (err: Error) => void;
};

const ADD_CHUNK = 1000;

/** A day's counter the ledger write bumps in the same round trip. */
export type SentCounter = { key: string; field: string; ttlMs: number };

export type EnqueueResult = {
  /** Jobs handed to BullMQ (one that still existed under its id is not added twice). */
  submitted: number;
  /** Jobs skipped because the ledger says the chat already got this ref. */
  alreadySent: number;
};

/** The queue of deliveries. Safe to use from several processes at once. */
export class DeliveryQueue {
  readonly queue: Queue<QueuedJob>;
  readonly sentTtlMs: number;
  readonly attempts: number;
  /** First retry delay of a failed send (doubling with each attempt). */
  readonly backoffMs: number;
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(options: DeliveryQueueOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.sentTtlMs = options.sentTtlMs ?? DELIVERY_DEFAULTS.sentTtlMs;
    this.attempts = options.attempts ?? DELIVERY_DEFAULTS.attempts;
    this.backoffMs = options.backoffMs ?? DELIVERY_DEFAULTS.backoffMs;
    // Every option here is copied into each job's hash, so only what the worker cannot supply:
    // removal of finished jobs is the worker's setting (the ledger remembers the send, dead
    // letters the failures), which saves ~40 bytes per queued delivery.
    const defaultJobOptions: JobsOptions = {
      attempts: this.attempts,
      backoff: { type: "exponential", delay: this.backoffMs },
    };
    this.queue = new Queue<QueuedJob>(DELIVERY_QUEUE_NAME, {
      connection: options.connection,
      prefix: options.keys.queuePrefix,
      defaultJobOptions,
      // Nobody listens to queue events; BullMQ's default keeps 10,000 (~2 MB).
      streams: { events: { maxLen: 1000 } },
    });
    // Without a listener BullMQ prints connection errors to stderr itself, past the logger.
    this.queue.on("error", (err) => options.onError?.(err));
  }

  /**
   * Enqueues jobs, at most one per (ref, chat) ever (within the ledger's TTL): chats the ledger
   * says already received the ref are skipped, and a job whose id is still queued is not added
   * again. Safe to repeat after a crash and to run in two processes at once.
   */
  async enqueue(
    jobs: readonly DeliveryJob[],
    options: { delayMs?: number; attemptsLeft?: number } = {},
  ): Promise<EnqueueResult> {
    const result: EnqueueResult = { submitted: 0, alreadySent: 0 };
    const extra: JobsOptions = {
      ...(options.delayMs !== undefined && options.delayMs > 0 ? { delay: Math.ceil(options.delayMs) } : {}),
      ...(options.attemptsLeft !== undefined ? { attempts: Math.max(1, options.attemptsLeft) } : {}),
    };
    for (let start = 0; start < jobs.length; start += ADD_CHUNK) {
      const chunk = jobs.slice(start, start + ADD_CHUNK);
      const sent = await this.wasSent(
        chunk.map((job) => ({ ref: deliveryRef(job), chatId: destinationOfJob(job) })),
      );
      const fresh = chunk.filter((_, i) => !sent[i]);
      result.alreadySent += chunk.length - fresh.length;
      if (fresh.length === 0) continue;
      await this.queue.addBulk(
        fresh.map((job) => ({
          name: job.kind,
          data: job,
          opts: { jobId: deliveryJobId(deliveryRef(job), destinationOfJob(job)), ...extra },
        })),
      );
      result.submitted += fresh.length;
    }
    return result;
  }

  /**
   * Enqueues one story for many chats as batch jobs of up to `batchSize`. Chats the ledger says
   * already got the story are left out. A batch's job id is its first chat as given (before
   * that filter), so a walk repeated after a crash, which reads the subscribers in the same
   * order, does not add a batch that is still queued; one already done is added again with only
   * the chats it did not reach. `silent` batches send without sound and have job ids of their own
   * (`+s`), so a chat heading a silent batch in one walk and a loud one in the next is no clash.
   */
  async enqueueStories(
    storyId: string,
    recipients: ReadonlyArray<{
      chatId: number;
      threadId?: number;
      language: StoryBatchJob["chats"][number][1];
    }>,
    batchSize = STORY_BATCH_MAX,
    options: { silent?: boolean } = {},
  ): Promise<EnqueueResult> {
    const size = Math.max(1, Math.min(STORY_BATCH_MAX, Math.floor(batchSize)));
    const ref = storyRef(storyId);
    const result: EnqueueResult = { submitted: 0, alreadySent: 0 };
    for (let start = 0; start < recipients.length; start += ADD_CHUNK) {
      const chunk = recipients.slice(start, start + ADD_CHUNK);
      const sent = await this.wasSent(chunk.map((r) => ({ ref, chatId: destinationOfJob(r) })));
      const batches: Array<{ name: string; data: StoryBatchJob; opts: JobsOptions }> = [];
      for (let from = 0; from < chunk.length; from += size) {
        const chats: StoryBatchJob["chats"] = [];
        for (let i = from; i < Math.min(from + size, chunk.length); i++) {
          const r = chunk[i] as (typeof chunk)[number];
          if (sent[i]) result.alreadySent++;
          else chats.push(storyBatchEntry(r));
        }
        if (chats.length === 0) continue;
        const first = destinationOfJob(chunk[from] as (typeof chunk)[number]);
        batches.push({
          name: "stories",
          data: { kind: "stories", storyId, chats, ...(options.silent ? { silent: true as const } : {}) },
          opts: { jobId: `${deliveryJobId(ref, first)}+${options.silent ? "s" : ""}` },
        });
        result.submitted += chats.length;
      }
      if (batches.length > 0) await this.queue.addBulk(batches);
    }
    return result;
  }

  /** For each (ref, destination): did it already receive it? One round trip for any number. */
  async wasSent(pairs: ReadonlyArray<{ ref: string; chatId: DestinationRef }>): Promise<boolean[]> {
    if (pairs.length === 0) return [];
    // One SMISMEMBER per ref (a fan-out's chunk is one ref), not one command per chat.
    const byRef = new Map<string, number[]>();
    pairs.forEach((p, i) => {
      const indices = byRef.get(p.ref);
      if (indices) indices.push(i);
      else byRef.set(p.ref, [i]);
    });
    const pipeline = this.redis.pipeline();
    for (const [value, indices] of byRef) {
      pipeline.smismember(
        this.keys.deliverySent(refToken(value)),
        ...indices.map((i) => destinationKey((pairs[i] as (typeof pairs)[number]).chatId)),
      );
    }
    const replies = (await pipeline.exec()) ?? [];
    const sent = new Array<boolean>(pairs.length).fill(false);
    [...byRef.values()].forEach((indices, r) => {
      const [err, reply] = replies[r] ?? [null, []];
      if (err) throw err;
      indices.forEach((i, k) => {
        sent[i] = (reply as number[])[k] === 1;
      });
    });
    return sent;
  }

  /** Records that the chats received the ref (the worker records through `LedgerWriter`). */
  async markSent(value: string, chatIds: readonly DestinationRef[]): Promise<void> {
    await this.markSentMany([{ ref: value, chatIds }]);
  }

  /**
   * Records sends of several refs in one transaction, and bumps `counter` by the number of
   * messages (a migrated chat's two ids are one message).
   */
  async markSentMany(
    entries: ReadonlyArray<{ ref: string; chatIds: readonly DestinationRef[] }>,
    counter?: SentCounter,
  ): Promise<void> {
    const byRef = new Map<string, string[]>();
    for (const e of entries) {
      const key = this.keys.deliverySent(refToken(e.ref));
      const members = e.chatIds.map(destinationKey);
      const list = byRef.get(key);
      if (list) list.push(...members);
      else byRef.set(key, members);
    }
    if (byRef.size === 0) return;
    const tx = this.redis.multi();
    for (const [key, chats] of byRef) tx.sadd(key, ...chats).pexpire(key, this.sentTtlMs);
    if (counter) tx.hincrby(counter.key, counter.field, entries.length).pexpire(counter.key, counter.ttlMs);
    const replies = (await tx.exec()) ?? [];
    const failed = replies.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /** Jobs waiting, delayed or running (for stats and tests). */
  /** Removes the waiting jobs of (ref, chat) for these chats; one a worker holds already stays. */
  async removeJobs(value: string, chatIds: readonly DestinationRef[]): Promise<void> {
    for (let i = 0; i < chatIds.length; i += 200) {
      await Promise.all(
        chatIds
          .slice(i, i + 200)
          .map((chatId) => this.queue.remove(deliveryJobId(value, chatId)).catch(() => 0)),
      );
    }
  }

  async pending(): Promise<number> {
    const counts = await this.queue.getJobCounts("waiting", "delayed", "active", "prioritized");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** Where a job goes: its chat, and its forum topic when it has one. The ledger and job ids key on it. */
export function destinationOfJob(job: { chatId: number; threadId?: number | undefined }): DestinationRef {
  return job.threadId === undefined ? job.chatId : { chatId: job.chatId, threadId: job.threadId };
}
