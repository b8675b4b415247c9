/**
 * The typed job payloads that join the producer (queue.ts) and the worker, as in BullMQ: one zod
 * schema per kind of message, the story batch of a fan-out, and the refs and job ids derived from
 * them. Old payloads keep parsing: every field added since is optional.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { LANGUAGES } from "../i18n/languages.js";
import { type DestinationRef, destinationKey } from "../storage/destinations.js";
import { CAPTION_LIMIT, MESSAGE_LIMIT } from "./formatStory.js";

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

/** Where a job goes: its chat, and its forum topic when it has one. The ledger and job ids key on it. */
export function destinationOfJob(job: { chatId: number; threadId?: number | undefined }): DestinationRef {
  return job.threadId === undefined ? job.chatId : { chatId: job.chatId, threadId: job.threadId };
}
