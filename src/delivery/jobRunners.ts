/**
 * How a BullMQ job carries out what its chats' deliveries settled to. A single job waits in the
 * delayed set, pauses the queue (429) or throws for BullMQ's backoff; a story batch hands every
 * chat that must wait or be retried over to a single job of its own, so both follow one decision
 * (`decideAfterSend`) and the rules of single jobs hold for every chat.
 */
import { DelayedError, type Job, Worker } from "bullmq";
import type { DeliveryJob, DeliveryQueue, QueuedJob, StoryBatchJob } from "./queue.js";
import { expandStoryBatch, storyBatchEntry } from "./queue.js";
import type { SendGate } from "./sendGate.js";

/**
 * How one chat's delivery ended, as its job must carry it out: done, wait (no attempt used) or
 * retry (an attempt used).
 */
export type Settled =
  | { type: "done"; result: "sent" | "duplicate" | "cancelled" | "dead-letter" | "deactivated" }
  | { type: "wait"; delayMs: number; cause: "paced" | "rate-limited" }
  | { type: "retry"; delayMs: number; reason: string };

/** Where a chat's delivery stands in its job: its attempt (from 1) and the attempts left after it. */
export type Attempt = { attempt: number; attemptsLeft: number };

/** Delivers one chat's message (admission, send, decision) and says how it settled. */
export type DeliverOne = (data: DeliveryJob, at: Attempt) => Promise<Settled>;

/** The attempt a job is on, counting from 1 and including a batch's try before it was handed over. */
export function attemptOf(job: Job<QueuedJob>): number {
  const tried = job.data.kind === "story" ? (job.data.tried ?? 0) : 0;
  return tried + job.attemptsMade + 1;
}

/** One chat's job. Returns the result BullMQ records, or throws what moves the job on. */
export async function runSingleJob(
  job: Job<QueuedJob>,
  data: DeliveryJob,
  token: string | undefined,
  gate: SendGate,
  deliver: DeliverOne,
): Promise<string> {
  const attemptsLeft = (job.opts.attempts ?? 1) - (job.attemptsMade + 1);
  const settled = await gate.run(() => deliver(data, { attempt: attemptOf(job), attemptsLeft }));
  switch (settled.type) {
    case "done":
      return settled.result;
    case "wait":
      // The queue is paused now; this job goes back without using an attempt.
      if (settled.cause === "rate-limited") throw Worker.RateLimitError();
      await job.moveToDelayed(Date.now() + settled.delayMs, token);
      throw new DelayedError();
    case "retry":
      // BullMQ's exponential backoff from `backoffMs` waits as long as `settled.delayMs`.
      throw new Error(settled.reason);
  }
}

/**
 * A story to up to 100 chats, each through the same `deliver` as a single job, sharing this
 * process's send gate. What a single job would wait for or retry is handed over to a single job
 * of its own, delayed as long. On stop, the chats not yet started stay on this job, which goes
 * back to the queue; an unexpected error (Redis away) fails the job, and its retry skips the chats
 * the ledger has.
 */
export async function runStoryBatch(
  job: Job<QueuedJob>,
  batch: StoryBatchJob,
  token: string | undefined,
  context: { gate: SendGate; queue: DeliveryQueue; deliver: DeliverOne; stopping: () => boolean },
): Promise<string> {
  const { gate, queue, deliver } = context;
  // Keyed by when the chat is due (not by its delay): the hand-overs are queued when the whole
  // batch is done, seconds after the first of them was decided.
  const handOver = new Map<string, { dueAt: number; tried: number; jobs: DeliveryJob[] }>();
  const later = (single: DeliveryJob, delayMs: number, tried: number) => {
    // Bucketed to 100 ms, so a batch's hand-overs are a few queue writes, not one per chat.
    const dueAt = Math.ceil((Date.now() + delayMs) / 100) * 100;
    const group = handOver.get(`${dueAt}/${tried}`);
    const handed = tried > 0 ? { ...single, tried } : single;
    if (group) group.jobs.push(handed);
    else handOver.set(`${dueAt}/${tried}`, { dueAt, tried, jobs: [handed] });
  };
  const notStarted: StoryBatchJob["chats"] = [];
  const tally = new Map<string, number>();
  let firstError: Error | undefined;
  const first: Attempt = { attempt: 1, attemptsLeft: queue.attempts - 1 };

  await Promise.all(
    expandStoryBatch(batch).map((single) =>
      gate
        .run(async () => {
          if (context.stopping() || firstError) {
            notStarted.push(storyBatchEntry(single));
            return "not-started";
          }
          const settled = await deliver(single, first);
          if (settled.type === "done") return settled.result;
          later(single, settled.delayMs, settled.type === "retry" ? 1 : 0);
          return "handed-over";
        })
        .then(
          (result) => tally.set(result, (tally.get(result) ?? 0) + 1),
          (err: Error) => {
            firstError ??= err;
            notStarted.push(storyBatchEntry(single));
          },
        ),
    ),
  );

  for (const { dueAt, tried, jobs } of handOver.values()) {
    const delayMs = Math.max(0, dueAt - Date.now());
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
 * BullMQ's limiter on fetching jobs. The rate itself is kept by `SendAdmission` (a batch job is
 * many messages, which BullMQ cannot count); this limiter is what a 429 pauses (`rateLimit`) and
 * keeps single jobs from being fetched much faster than they may go out. Windows of about 100 ms
 * rather than 1 s, so a window's late jobs and the next one's early ones do not bunch up.
 */
export function limiterFor(ratePerSecond: number): { max: number; duration: number } {
  const max = Math.max(1, Math.round(ratePerSecond / 10));
  return { max, duration: Math.ceil((1000 * max) / ratePerSecond) };
}
