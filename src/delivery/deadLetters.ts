/**
 * Dead letters: deliveries given up on (after retries, a bad payload, a story gone), kept in
 * Redis newest first so an admin can read them and resend them once the cause is fixed.
 */
import { z } from "zod";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import { type DeliveryJob, type DeliveryQueue, deliveryJobSchema } from "./queue.js";

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

export class DeadLetters {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly queue: DeliveryQueue,
    /** Letters kept; the oldest are dropped beyond this. */
    private readonly max: number,
  ) {}

  /** Stores a letter (the bookkeeping around it is the worker's). */
  async add(payload: unknown, reason: string, attempts: number): Promise<void> {
    const letter: DeadLetter = { job: payload, reason, at: new Date().toISOString(), attempts };
    await this.redis
      .multi()
      .lpush(this.keys.deliveryDeadLetters, JSON.stringify(letter))
      .ltrim(this.keys.deliveryDeadLetters, 0, this.max - 1)
      .exec();
  }

  /** The newest dead letters first. */
  async list(limit = 100): Promise<DeadLetter[]> {
    const raws = await this.redis.lrange(this.keys.deliveryDeadLetters, 0, limit - 1);
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
  async retryAll(): Promise<{ requeued: number; kept: number }> {
    const { redis, keys } = this;
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
      await this.queue.enqueue(jobs.reverse());
    } catch (err) {
      await redis.rpush(keys.deliveryDeadLetters, ...raws);
      throw err;
    }
    if (kept.length > 0) await redis.rpush(keys.deliveryDeadLetters, ...kept);
    return { requeued: jobs.length, kept: kept.length };
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
