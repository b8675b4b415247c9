/**
 * The consumer side of delivery: takes jobs from the queue and sends them to Telegram within its
 * limits, whatever happens to Telegram, the network or this process.
 *
 * - Global limit: one schedule of send slots in Redis (`SendAdmission`, `SEND_RATE_LIMIT` per
 *   second), shared by every worker process. A 429 pushes the schedule past `retry_after` and
 *   pauses the queue's fetching for as long.
 * - Sends in flight follow the measured round trip (`InFlightControl`, Little's law), so the rate
 *   is reached however slow Telegram answers; the schedule, not the bound, paces their starts.
 * - Paid broadcasts (PAID_BROADCAST): a second, free schedule (FREE_SEND_RATE_LIMIT) in the same
 *   admission; a paid broadcast's message that finds no free slot open goes with
 *   allow_paid_broadcast, and a refusal for want of Stars sends the rest of it unpaid.
 * - Per-chat pacing: about one message a second to a private chat and 20 a minute to a group
 *   (Telegram's limits); a job that comes too early is moved to the delayed set, not retried.
 * - Once per chat: the ledger is checked (in the same admission script) before each send and
 *   written (`LedgerWriter`) right after it. A process killed between the two may send that
 *   message again on restart (at most one per send in flight: `SendGate`); nothing is ever lost.
 * - Story batches (a fan-out's jobs of up to 100 chats) take the same path chat by chat, so one
 *   BullMQ job's cost is spread over many messages; a chat that must wait or be retried is
 *   handed over to a single job of its own, where the rules below apply unchanged.
 * - Failures: one decision (`decideAfterSend`) for single and batch jobs alike; transient ones are
 *   retried with exponential backoff and end up as dead letters an admin can resend.
 *
 * Size: about 460 lines on purpose. What is left here is the send path itself (admission
 * and its waits, the send, carrying out the decision) which reads as one story; dead letters,
 * counters, rendering, the decision and the job runners are in files of their own.
 */
import { type Job, Worker } from "bullmq";
import { Api } from "grammy";
import type { Translate } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { StoryStore } from "../news/storyStore.js";
import { type DestinationRef, destinationKey } from "../storage/destinations.js";
import type { RedisKeys } from "../storage/keys.js";
import type { Redis } from "../storage/redis.js";
import type { SubscriptionStore } from "../storage/subscriptions.js";
import { type DeadLetter, DeadLetters } from "./deadLetters.js";
import { decideAfterSend, type SendDecision } from "./decide.js";
import type { DeliveryEvent } from "./events.js";
import { InFlightControl } from "./inFlight.js";
import {
  type Attempt,
  attemptOf,
  type DeliverOne,
  limiterFor,
  runSingleJob,
  runStoryBatch,
  type Settled,
} from "./jobRunners.js";
import { LedgerWriter } from "./ledgerWriter.js";
import type { DeliveryOptions } from "./options.js";
import {
  DELIVERY_QUEUE_NAME,
  type DeliveryJob,
  type DeliveryQueue,
  deliveryJobSchema,
  deliveryRef,
  destinationOfJob,
  expandStoryBatch,
  type QueuedJob,
  queuedJobSchema,
  refToken,
} from "./queue.js";
import { MessageRenderer, type SendExtras, sendOutgoing } from "./render.js";
import { type Admission, SendAdmission, scheduledRate } from "./sendAdmission.js";
import { SendGate } from "./sendGate.js";
import { StartSpacer } from "./startSpacer.js";
import { DeliveryStats, isTracked, reasonClass } from "./stats.js";

export type { DeadLetter } from "./deadLetters.js";
export type { DeliveryEvent } from "./events.js";

export type DeliveryWorkerDeps = {
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
  freeRatePerSecond?: number | undefined;
  options: DeliveryOptions;
};

/** An admission that lets the message go. */
type SendVerdict = Extract<Admission, { verdict: "send" }>;

/** Connections opened before the first send, at most (see `openConnections`). */
const WARM_CONNECTIONS = 16;
const WARM_TIMEOUT_MS = 3000;

/** Sends queued deliveries to Telegram. Several may run, in one process or many. */
export class DeliveryWorker {
  readonly worker: Worker<QueuedJob>;
  private readonly api: Api;
  private readonly deps: DeliveryWorkerDeps;
  private readonly options: DeliveryOptions;
  private readonly admission: SendAdmission;
  private readonly inFlight: InFlightControl;
  private readonly gate: SendGate;
  private readonly spacer: StartSpacer;
  private readonly ledger: LedgerWriter<DestinationRef>;
  private readonly stats: DeliveryStats;
  private readonly deadLetters: DeadLetters;
  private readonly renderer: MessageRenderer;
  private stopping = false;
  private running: Promise<void> | undefined;

  constructor(deps: DeliveryWorkerDeps) {
    this.deps = deps;
    const options = deps.options;
    this.options = options;
    // No auto-retry plugin: a 429 must pause the whole queue, which only the worker can do.
    this.api = new Api(deps.token, { apiRoot: deps.apiRoot, timeoutSeconds: options.requestTimeoutSeconds });
    this.inFlight = new InFlightControl({
      ratePerSecond: deps.ratePerSecond,
      minInFlight: options.minInFlight,
      maxInFlight: Math.max(options.minInFlight, options.maxInFlight),
      initialLatencyMs: options.initialLatencyMs,
      maxInitialInFlight: options.maxInitialInFlight,
      ...(options.concurrency !== undefined ? { fixed: options.concurrency } : {}),
    });
    this.gate = new SendGate(this.inFlight.limit);
    // At the schedule's own rate, which keeps its margin below Telegram's limit.
    this.spacer = new StartSpacer(scheduledRate(deps.ratePerSecond));
    this.admission = new SendAdmission({
      redis: deps.redis,
      keys: deps.keys,
      ratePerSecond: deps.ratePerSecond,
      freeRatePerSecond: deps.freeRatePerSecond,
    });
    this.stats = new DeliveryStats(deps.redis, deps.keys, deps.timeZone, deps.queue.sentTtlMs);
    this.deadLetters = new DeadLetters(deps.redis, deps.keys, deps.queue, options.maxDeadLetters);
    this.renderer = new MessageRenderer(deps.stories, deps.translate, deps.timeZone);
    this.ledger = new LedgerWriter<DestinationRef>(
      (entries, counter) => deps.queue.markSentMany(entries, counter),
      () => this.stats.counter("sent"),
    );
    this.worker = new Worker<QueuedJob>(DELIVERY_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: deps.connection,
      prefix: deps.keys.queuePrefix,
      autorun: false,
      concurrency: this.gate.limit,
      limiter: limiterFor(deps.ratePerSecond),
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount,
      // A finished job is worth nothing: the ledger remembers the send, dead letters the failure.
      // (KeepJobs objects: at worker level BullMQ's script rejects a plain `true`.)
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 0 },
    });
    this.worker.on("failed", (job, err) => {
      void this.onFailed(job, err);
    });
    this.worker.on("error", (err) => {
      deps.logger.warn({ err }, "delivery worker error");
    });
  }

  /** Starts taking jobs. Resolves once the worker is connected. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.openConnections();
    this.running = this.worker.run().catch((err: Error) => {
      this.deps.logger.error({ err }, "delivery worker stopped");
    });
    await this.worker.waitUntilReady();
  }

  /**
   * Opens the connections the first sends will use, with cheap `getMe` calls, before any send.
   * A process's first requests are slow (a connection each, a TLS handshake with Telegram, code
   * not yet compiled): the first sends would leave late and arrive together with the ones after,
   * which Telegram counts. Best effort and bounded: an unreachable Telegram only delays the start.
   */
  private async openConnections(): Promise<void> {
    const count = Math.min(this.gate.limit, WARM_CONNECTIONS);
    // A signal each (one shared by 16 calls trips Node's listener-leak warning). grammY types its
    // signal with the abort-controller package's AbortSignal; Node's is the same at run time.
    const signal = () => AbortSignal.timeout(WARM_TIMEOUT_MS) as Parameters<Api["getMe"]>[0];
    const opened = await Promise.allSettled(Array.from({ length: count }, () => this.api.getMe(signal())));
    const failed = opened.filter((r) => r.status === "rejected").length;
    if (failed > 0) this.deps.logger.debug({ failed, count }, "delivery: some connections not opened ahead");
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

  /** The sends this process keeps in flight now (follows the measured round trip). */
  get inFlightLimit(): number {
    return this.gate.limit;
  }

  /** The newest dead letters first. */
  listDeadLetters(limit = 100): Promise<DeadLetter[]> {
    return this.deadLetters.list(limit);
  }

  /** Puts every dead letter back on the queue; letters with an invalid payload stay. */
  retryDeadLetters(): Promise<{ requeued: number; kept: number }> {
    return this.deadLetters.retryAll();
  }

  /** A day's counters (local day in TIMEZONE): sent, rate-limited, deactivated:blocked, … */
  statsOf(isoDate?: string): Promise<Record<string, number>> {
    return this.stats.of(isoDate);
  }

  // ------------------------------------------------------------------------------ jobs

  private async process(job: Job<QueuedJob>, token: string | undefined): Promise<string> {
    const parsed = queuedJobSchema.safeParse(job.data);
    if (!parsed.success) {
      await this.giveUp(
        job.data,
        `invalid payload: ${parsed.error.issues[0]?.message ?? "?"}`,
        attemptOf(job),
      );
      return "dead-letter";
    }
    const data = parsed.data;
    const deliver: DeliverOne = (single, at) => this.deliver(single, at);
    if (data.kind !== "stories") return runSingleJob(job, data, token, this.gate, deliver);
    const stopping = () => this.stopping;
    return runStoryBatch(job, data, token, { gate: this.gate, queue: this.deps.queue, deliver, stopping });
  }

  // ------------------------------------------------------------------------------ one chat

  /**
   * One chat's message: the cancel check (tracked broadcasts), admission (ledger, pacing, global
   * slot), rendering, the send (following one migration), and what its result decides.
   */
  private async deliver(data: DeliveryJob, at: Attempt): Promise<Settled> {
    const { redis, keys } = this.deps;
    const ref = deliveryRef(data);
    // A cancelled broadcast's jobs still in the queue end here, unsent.
    if (isTracked(data) && (await redis.exists(keys.deliveryCancelled(refToken(ref))))) {
      await this.stats.countRef(data, "cancelled");
      return { type: "done", result: "cancelled" };
    }
    // Rendered before admission, so nothing that awaits (the story's read, a cold format) comes
    // between the start the spacer chose and the request: Telegram counts arrivals, and a send
    // held up there would go out together with the next.
    const outgoing = await this.renderer.render(data);
    if (!outgoing) return this.giveUp(data, "story no longer stored", at.attempt);
    const started = performance.now();
    const paceMs = this.paceOf(data.chatId);
    const admitted = await this.admitAndWait(data, ref, paceMs);
    if ("type" in admitted) return admitted;
    const { admission, waitedMs } = admitted;

    let chatId = data.chatId;
    for (let hop = 0; ; hop++) {
      const result = await sendOutgoing(this.api, chatId, outgoing, this.extrasOf(data, admission)).then(
        () => ({ ok: true }) as const,
        (error: unknown) => ({ ok: false, error }) as const,
      );
      const decision = decideAfterSend(result, {
        ...at,
        hop,
        backoffMs: this.deps.queue.backoffMs,
        paceMs,
        paid: admission.paid,
      });
      if (decision.type === "migrate") {
        await this.deps.subscriptions.migrate(chatId, decision.toChatId);
        this.emit({ type: "migrated", fromChatId: chatId, toChatId: decision.toChatId });
        await this.stats.count("migrated");
        chatId = decision.toChatId;
        continue;
      }
      if (decision.type === "sent") {
        await this.recordSent(data, ref, chatId);
        if (admission.paid) await this.stats.countRef(data, "paid");
        // The slot's time without the schedule's waits: what one more send in flight costs.
        this.follow(this.inFlight.completed(performance.now() - started - waitedMs));
        return { type: "done", result: "sent" };
      }
      return this.carryOut(decision, data, ref, chatId, at);
    }
  }

  /**
   * Admission (ledger, pacing, global slot) and the waits it asks for: until the schedule is near
   * enough to book (replies booked it ahead), for the slot, and for this process's start spacing.
   * Returns how the message settled without a send (duplicate, paced, a slot too far), or the
   * admission and the time spent waiting.
   */
  private async admitAndWait(
    data: DeliveryJob,
    ref: string,
    paceMs: number,
  ): Promise<Settled | { admission: SendVerdict; waitedMs: number }> {
    const admit = () =>
      this.admission.admit(refToken(ref), data.chatId, paceMs, {
        horizonMs: this.options.deliveryHorizonMs,
        member: destinationKey(destinationOfJob(data)),
        // A paid broadcast's message may go paid; everything else keeps to the free rate.
        paid: data.kind === "copy" && data.paid === true,
      });
    let admission = await admit();
    // Nothing is booked while busy: the wait costs no slot and no chat pace.
    let busyMs = 0;
    while (admission.verdict === "busy" && busyMs < this.options.maxSlotWaitMs) {
      await sleep(admission.retryMs);
      busyMs += admission.retryMs;
      admission = await admit();
    }
    if (admission.verdict === "busy") return { type: "wait", delayMs: admission.retryMs, cause: "paced" };
    if (admission.verdict === "duplicate") {
      this.emit({ type: "duplicate-skipped", chatId: data.chatId });
      await this.stats.count("duplicate-skipped");
      await this.stats.countRef(data, "duplicate");
      return { type: "done", result: "duplicate" };
    }
    if (admission.verdict === "paced") {
      this.emit({ type: "paced", chatId: data.chatId, delayMs: admission.delayMs });
      return { type: "wait", delayMs: admission.delayMs, cause: "paced" };
    }
    this.follow(this.inFlight.admitted(admission.waitMs === 0 && busyMs === 0));
    if (admission.waitMs > this.options.maxSlotWaitMs) {
      return { type: "wait", delayMs: admission.waitMs, cause: "paced" };
    }
    // Under a millisecond is below the timer's resolution: such a send goes at once.
    if (admission.waitMs >= 1) await sleep(admission.waitMs);
    const spacing = this.spacer.reserve(performance.now());
    if (spacing >= 1) {
      await sleep(spacing);
      this.spacer.started(performance.now());
    }
    return { admission, waitedMs: busyMs + Math.max(0, admission.waitMs) + (spacing >= 1 ? spacing : 0) };
  }

  /**
   * Extra parameters of the send call, from the job and what its admission decided: the place for
   * a paid broadcast's `allow_paid_broadcast` and a quiet story's `disable_notification`.
   */
  private extrasOf(data: DeliveryJob, admission: SendVerdict): SendExtras {
    return {
      // No free slot was open for this paid broadcast's message: Telegram bills it in Stars.
      ...(admission.paid ? { allow_paid_broadcast: true } : {}),
      // A forum topic is the chat plus message_thread_id; without it the message lands in General.
      ...(data.threadId === undefined ? {} : { message_thread_id: data.threadId }),
      // Quiet hours in `silent` mode: the story comes at once, but the phone stays quiet.
      ...(data.kind === "story" && data.silent ? { disable_notification: true } : {}),
    };
  }

  private async recordSent(data: DeliveryJob, ref: string, chatId: number): Promise<void> {
    const chats: DestinationRef[] = chatId === data.chatId ? [destinationOfJob(data)] : [data.chatId, chatId];
    try {
      await this.ledger.record(ref, chats);
    } catch (err) {
      // The message is out: failing the job now would only send it again.
      this.deps.logger.warn({ chatId, err }, "sent, but could not record it");
    }
    await this.stats.countRef(data, "sent");
    this.emit({ type: "sent", kind: data.kind, chatId });
  }

  /** Does what a failed send's decision says, and tells the job how it ended. */
  private async carryOut(
    decision: Exclude<SendDecision, { type: "sent" | "migrate" }>,
    data: DeliveryJob,
    ref: string,
    chatId: number,
    at: Attempt,
  ): Promise<Settled> {
    switch (decision.type) {
      case "rate-limited":
        await this.rateLimited(decision.retryAfterMs);
        // A broadcast's summary reports the 429s it met.
        await this.stats.countRef(data, "rate-limited");
        return { type: "wait", delayMs: decision.retryAfterMs, cause: "rate-limited" };
      case "deactivate":
        await this.deps.subscriptions.setStatus(
          data.threadId === undefined ? chatId : { chatId, threadId: data.threadId },
          decision.status,
        );
        this.emit({
          type: "deactivated",
          chatId,
          ...(data.threadId !== undefined ? { threadId: data.threadId } : {}),
          status: decision.status,
          reason: decision.reason,
        });
        await this.stats.count(`deactivated:${decision.status}`);
        await this.stats.countRef(data, decision.status);
        this.deps.logger.info(
          { chatId, status: decision.status },
          "chat unreachable; subscription deactivated",
        );
        return { type: "done", result: "deactivated" };
      case "dead-letter":
        return this.giveUp(data, decision.reason, at.attempt);
      case "unpaid":
        // No Stars left: the rest of this ref goes unpaid, within the free rate; this message too.
        await this.admission.markUnpaid(refToken(ref), this.deps.queue.sentTtlMs);
        await this.stats.count("unpaid");
        await this.stats.countRef(data, "unpaid");
        this.deps.logger.warn({ chatId, reason: decision.reason }, "paid broadcast refused; sending unpaid");
        return { type: "wait", delayMs: decision.delayMs, cause: "paced" };
      case "retry":
        this.emit({ type: "retrying", chatId, reason: decision.reason, attempt: at.attempt });
        await this.stats.count(`retry:${reasonClass(decision.reason)}`);
        return { type: "retry", delayMs: decision.delayMs, reason: decision.reason };
    }
  }

  /** Telegram said 429: every process waits `retry_after` (send schedule and job fetching both). */
  private async rateLimited(retryAfterMs: number): Promise<void> {
    this.emit({ type: "rate-limited", retryAfterMs });
    await this.stats.count("rate-limited");
    this.deps.logger.warn({ retryAfterMs }, "Telegram says too many requests; pausing deliveries");
    await this.admission.pause(retryAfterMs);
    await this.deps.queue.queue.rateLimit(retryAfterMs);
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
      for (const payload of payloads) await this.giveUp(payload, err.message, job.attemptsMade);
    } catch (e) {
      this.deps.logger.error({ err: e }, "could not store a dead letter");
    }
  }

  /** Keeps the delivery as a dead letter, with its counters and event. */
  private async giveUp(payload: unknown, reason: string, attempts: number): Promise<Settled> {
    await this.deadLetters.add(payload, reason, attempts);
    const chatId = (payload as { chatId?: unknown } | null)?.chatId;
    this.emit({ type: "dead-letter", chatId: typeof chatId === "number" ? chatId : undefined, reason });
    await this.stats.count(`dead:${reasonClass(reason)}`);
    const tracked = deliveryJobSchema.safeParse(payload);
    if (tracked.success) await this.stats.countRef(tracked.data, "failed");
    this.deps.logger.warn({ chatId, reason }, "delivery given up; kept as a dead letter");
    return { type: "done", result: "dead-letter" };
  }

  /** The in-flight bound (and BullMQ's job concurrency) follow the measured round trip. */
  private follow(limit: number): void {
    if (limit === this.gate.limit) return;
    this.gate.limit = limit;
    this.worker.concurrency = limit;
  }

  /** Telegram's per-chat limits: about one message a second to a private chat, 20 a minute to a group. */
  private paceOf(chatId: number): number {
    return chatId < 0 ? this.options.groupPaceMs : this.options.privatePaceMs;
  }

  private emit(event: DeliveryEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch (err) {
      this.deps.logger.warn({ err }, "delivery event hook failed");
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
