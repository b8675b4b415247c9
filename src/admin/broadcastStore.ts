/**
 * A broadcast's record in Redis: its status, audience (fixed when the admin confirms, a LIST of
 * destinations), counters and the queue of broadcasts waiting their turn. The runner that sends
 * them is in broadcasts.ts.
 */
import { z } from "zod";
import { markRefCancelled, refOutcomeCounts } from "../delivery/index.js";
import { LANGUAGES, type Language } from "../i18n/languages.js";
import type { Logger } from "../logger.js";
import { type Destination, parseDestinationKey } from "../storage/destinations.js";
import type { RedisKeys } from "../storage/keys.js";
import { parseStoredValue } from "../storage/records.js";
import type { Redis } from "../storage/redis.js";
import type { SubscriptionStore } from "../storage/subscriptions.js";
import { type Audience, audienceDestinations, audienceSchema } from "./audience.js";
import { type BroadcastCounts, parseCounts } from "./progress.js";

export const BROADCAST_STATUSES = ["queued", "running", "done", "cancelled"] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

const jsonAudience = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "audience is not JSON" });
      return z.NEVER;
    }
  })
  .pipe(audienceSchema);

const broadcastSchema = z.object({
  id: z.coerce.number().int().positive(),
  status: z.enum(BROADCAST_STATUSES),
  adminId: z.coerce.number().int(),
  /** The admin's chat: the message to copy lives there, and so does the progress message. */
  fromChatId: z.coerce.number().int(),
  messageId: z.coerce.number().int().positive(),
  audience: jsonAudience,
  total: z.coerce.number().int().nonnegative(),
  /** How many of the audience list were handed to the queue so far. */
  enqueued: z.coerce.number().int().nonnegative(),
  progressMessageId: z.coerce.number().int().positive(),
  language: z.enum(LANGUAGES),
  /** A paid broadcast (PAID_BROADCAST): above the free rate its messages go paid, in Stars. */
  paid: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});

export type Broadcast = z.infer<typeof broadcastSchema>;

/** The delivery ref of a broadcast: one send per (ref, chat), ever. */
export function broadcastRef(id: number): string {
  return `broadcast:${id}`;
}

/** A finished broadcast's record is kept this long (its chat list is dropped at once). */
const FINISHED_TTL_MS = 30 * 86_400_000;

/** Records of broadcasts and their audiences in Redis. */
export class BroadcastStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
    private readonly subscriptions: Pick<SubscriptionStore, "activeRecipients">,
  ) {}

  /**
   * Fixes the audience (streamed into a list, batch by batch) and queues the broadcast behind any
   * other. The record is written last, with its place in the queue, in one transaction: a crash
   * before it leaves only an orphan list, never a half-made broadcast that could start.
   */
  async create(input: {
    adminId: number;
    fromChatId: number;
    messageId: number;
    audience: Audience;
    progressMessageId: number;
    language: Language;
    paid?: boolean;
  }): Promise<Broadcast> {
    const id = await this.redis.incr(this.keys.broadcastSeq);
    const chatsKey = this.keys.broadcastChats(id);
    let total = 0;
    for await (const chats of audienceDestinations(this.subscriptions, input.audience)) {
      await this.redis.rpush(chatsKey, ...chats);
      total += chats.length;
    }
    const broadcast: Broadcast = {
      id,
      status: "queued",
      ...input,
      paid: input.paid === true,
      total,
      enqueued: 0,
      createdAt: new Date().toISOString(),
    };
    await this.redis
      .multi()
      .hset(this.keys.broadcast(id), toHash(broadcast))
      .rpush(this.keys.broadcastQueue, id)
      .exec();
    return broadcast;
  }

  async get(id: number): Promise<Broadcast | undefined> {
    const key = this.keys.broadcast(id);
    const raw = await this.redis.hgetall(key);
    if (Object.keys(raw).length === 0) return undefined;
    return parseStoredValue(broadcastSchema, raw, key, this.logger);
  }

  /** Ids waiting or sending, oldest first (the first one is sending). */
  async queued(): Promise<number[]> {
    const ids = await this.redis.lrange(this.keys.broadcastQueue, 0, -1);
    return ids.map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
  }

  /** The broadcast's outcome counters, as the delivery worker keeps them. */
  async counts(id: number): Promise<BroadcastCounts> {
    return parseCounts(await refOutcomeCounts(this.redis, this.keys, broadcastRef(id)));
  }

  async update(id: number, fields: Partial<Broadcast>): Promise<void> {
    await this.redis.hset(this.keys.broadcast(id), toHash(fields));
  }

  /** Ends a broadcast: out of the queue, its chat list dropped, the record kept a while. */
  async finish(id: number, status: "done" | "cancelled"): Promise<void> {
    const key = this.keys.broadcast(id);
    const tx = this.redis
      .multi()
      .hset(key, { status, finishedAt: new Date().toISOString() })
      .lrem(this.keys.broadcastQueue, 0, id)
      .del(this.keys.broadcastChats(id))
      .pexpire(key, FINISHED_TTL_MS);
    // The worker skips what is still queued of a cancelled ref, without sending.
    if (status === "cancelled") markRefCancelled(tx, this.keys, broadcastRef(id), FINISHED_TTL_MS);
    await tx.exec();
  }

  /**
   * Destinations of the audience at positions [from, to): chats, and forum topics (stored as
   * `chat:thread`; a list written before topics holds plain chat ids, which parse the same way).
   */
  async chats(id: number, from: number, to: number): Promise<Destination[]> {
    if (to <= from) return [];
    const members = await this.redis.lrange(this.keys.broadcastChats(id), from, to - 1);
    return members.flatMap((member) => {
      const destination = parseDestinationKey(member);
      return destination ? [destination] : [];
    });
  }
}

function toHash(record: Partial<Broadcast>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined) continue;
    out[k] = typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  return out;
}
