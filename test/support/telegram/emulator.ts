/**
 * The emulator's server: its state (chats, messages, updates, users, channels, forums) and the
 * dispatch of each Bot API method. Its concerns live in the files beside it (limits, latency,
 * faults, HTML and validation, files, Stars, channels, forums, users); what is left here is the
 * one method switch and the state it reads, kept together so a method reads in one place.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Fault, FaultRule } from "./faults.js";
import { FileIds, WRONG_FILE_ID } from "./files.js";
import { type MessageEntity, readFormatted } from "./html.js";
import { parseMaybeJson, readParams } from "./http.js";
import { type LatencyOptions, type Legs, legSampler, TELEGRAM_LATENCY } from "./latency.js";
import {
  ArrivalLog,
  Bucket,
  type LimitCause,
  type LimitOptions,
  PAID_BROADCAST_PER_SECOND,
  SENDING_METHODS,
  TELEGRAM_LIMITS,
} from "./limits.js";
import { toTelegramMessage } from "./messages.js";
import { type BotInChannel, channelMember, channelSendError, newChannelState } from "./methods/channels.js";
import { chatInfoMethod } from "./methods/chatInfo.js";
import { commandMethod } from "./methods/commands.js";
import {
  createTopic,
  FORUM_TOPIC_METHODS,
  type ForumTopic,
  forumTopicMethod,
  newForumState,
  threadSendError,
} from "./methods/forumTopics.js";
import { BALANCE_TOO_LOW, StarsAccount } from "./stars.js";
import { TestUser } from "./testUser.js";
import type { ApiCall, Json, ReplyMarkup, SentMessage, TgChat, TgUser } from "./types.js";
import { checkCaption, checkReplyMarkup, checkText, MAX_CALLBACK_ANSWER_LENGTH } from "./validation.js";

/**
 * A local Telegram Bot API for tests and benchmarks. The real bot reaches it through
 * TELEGRAM_API_ROOT; tests act as users (send text, press buttons, block the bot), read what the
 * bot sent per chat, switch on Telegram's rate limits, and inject faults. Responses follow the
 * real API's shapes: `{ok: true, result}` or `{ok: false, error_code, description, parameters}`.
 */

type Waiter = {
  offset: number;
  limit: number;
  resolve: (updates: Json[]) => void;
  /** Ends the wait with Telegram's 409, as when a second getUpdates arrives. */
  conflict: () => void;
  timer: NodeJS.Timeout;
};

export class TelegramEmulator {
  readonly bot: TgUser = { id: 0, is_bot: true, first_name: "KZ-UZ News", username: "kzuz_news_bot" };
  /** Every call the bot made, in order. */
  readonly calls: ApiCall[] = [];
  /** How many 429s the emulator answered. */
  tooManyRequests = 0;
  /** The 429s answered, by the limit that caused them ("fault" for injected ones). */
  readonly tooManyRequestsByCause: Record<LimitCause | "fault", number> = {
    global: 0,
    paid: 0,
    chat: 0,
    group: 0,
    fault: 0,
  };
  /**
   * Arrival times at the server of every accepted sending call, to assert that no one-second
   * window held more than a limit allows (the server's view, after inbound latency).
   */
  readonly arrivals = new ArrivalLog();
  /** How many getUpdates calls were cut off by another (two bots polling one token). */
  conflicts = 0;
  /** Keep full message records (turn off in benchmarks with huge fan-outs). */
  recordMessages = true;
  readonly commands = new Map<string, Array<{ command: string; description: string }>>();
  readonly callbackAnswers = new Map<string, { text?: string; show_alert?: boolean }>();
  /** file_ids issued for uploads; set `files.strict` to refuse unknown ones, as Telegram does. */
  readonly files = new FileIds();

  private server: Server | undefined;
  private token = "";
  private updates: Json[] = [];
  private nextUpdateId = 1;
  private waiters: Waiter[] = [];
  private flushQueued = false;
  private readonly messages = new Map<number, SentMessage[]>();
  private readonly messageCounts = new Map<number, number>();
  private nextMessageId = 1;
  /** @internal read by methods/chatInfo.ts */
  readonly chats = new Map<number, TgChat>();
  private readonly blocked = new Set<number>();
  private readonly missingChats = new Set<number>();
  /** @internal read by methods/chatInfo.ts */
  readonly admins = new Map<number, Set<number>>();
  /** @internal read by methods/chatInfo.ts */
  readonly users = new Map<number, TgUser>();
  /** The bot's place in each channel (methods/channels.ts). */
  private readonly channelState = newChannelState();
  /** Forum topics by chat (methods/forumTopics.ts). */
  private readonly forums = newForumState();
  private faults: FaultRule[] = [];
  private randomFaults = { serverError: 0, tooManyRequests: 0 };
  private limits: LimitOptions | undefined;
  private stars: StarsAccount | undefined;
  private globalBucket: Bucket | undefined;
  private paidBucket: Bucket | undefined;
  private latency: (() => Legs) | undefined;
  /** Sum of the round trips drawn from the latency model so far (0 while it is off). */
  latencyDrawnMs = 0;
  private readonly chatBuckets = new Map<number, Bucket>();
  private readonly listeners = new Set<() => void>();
  private callbackSeq = 1;
  /** Callback queries not yet answered, with the time they were sent to the bot. */
  private readonly openCallbacks = new Map<string, number>();
  /** Calls whose answer has not reached the bot yet; `answered` once the server has answered. */
  private readonly openCalls = new Set<OpenCall>();

  /**
   * Starts listening on a free loopback port. `token` must be the bot's BOT_TOKEN. It is as slow
   * as Telegram and enforces Telegram's limits unless told otherwise: the emulator's own tests of
   * validation turn both off, and tests of timing set their own.
   */
  static async start(
    token: string,
    options: {
      /** @defaultValue TELEGRAM_LATENCY (median 150 ms, p99 ≈ 1 s, a stall in 500) */
      latency?: LatencyOptions | false;
      /** @defaultValue TELEGRAM_LIMITS (30/s per bot, 1/s per chat, 20/min per group) */
      limits?: LimitOptions | false;
    } = {},
  ): Promise<TelegramEmulator> {
    const emulator = new TelegramEmulator();
    emulator.token = token;
    emulator.bot.id = Number(token.split(":")[0]);
    emulator.setLatency(options.latency ?? TELEGRAM_LATENCY);
    emulator.enforceLimits(options.limits ?? TELEGRAM_LIMITS);
    const server = createServer((req, res) => {
      emulator.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      });
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    emulator.server = server;
    return emulator;
  }

  /** Calls of `method` received and not yet answered (the way back of an answer is not counted). */
  inFlight(method: string): number {
    return [...this.openCalls].filter((c) => c.method === method && !c.answered).length;
  }

  /** Calls of `method` whose answer has not reached the bot: in flight as the bot sees them. */
  awaitingAnswer(method: string): number {
    return [...this.openCalls].filter((c) => c.method === method).length;
  }

  /** The value for TELEGRAM_API_ROOT. */
  get apiRoot(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error("emulator: not started");
    const { port } = address;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve([]);
    }
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }

  // ---------------------------------------------------------------- acting as Telegram users

  /** A private chat with a user (created on first use). */
  user(id: number, options: { firstName?: string; languageCode?: string; username?: string } = {}): TestUser {
    const user: TgUser = {
      id,
      is_bot: false,
      first_name: options.firstName ?? `User${id}`,
      ...(options.username ? { username: options.username } : {}),
      ...(options.languageCode ? { language_code: options.languageCode } : {}),
    };
    this.users.set(id, user);
    this.chats.set(id, { id, type: "private", first_name: user.first_name });
    return new TestUser(this, user, this.chats.get(id) as TgChat);
  }

  /** A group or supergroup; `adminIds` are its administrators. */
  group(
    id: number,
    options: { title?: string; type?: "group" | "supergroup"; adminIds?: number[] } = {},
  ): TgChat {
    const chat: TgChat = { id, type: options.type ?? "group", title: options.title ?? `Group ${id}` };
    this.chats.set(id, chat);
    this.admins.set(id, new Set(options.adminIds ?? []));
    return chat;
  }

  /**
   * A channel; `adminIds` are its administrators (the first one its creator). `bot` is the bot's
   * place in it: by default an admin that may post.
   */
  channel(
    id: number,
    options: { title?: string; username?: string; adminIds?: number[]; bot?: BotInChannel } = {},
  ): TgChat {
    const chat: TgChat = {
      id,
      type: "channel",
      title: options.title ?? `Channel ${id}`,
      ...(options.username ? { username: options.username } : {}),
    };
    this.chats.set(id, chat);
    this.admins.set(id, new Set(options.adminIds ?? []));
    const creator = options.adminIds?.[0];
    if (creator !== undefined) this.channelState.creators.set(id, creator);
    this.channelState.bot.set(id, options.bot ?? "admin");
    return chat;
  }

  /**
   * Changes the bot's place in a channel as an admin (`byUserId`) would: sends after this get
   * Telegram's errors, and the bot gets the my_chat_member update (unless `notify` is false: the
   * update is still on its way while deliveries already fail, as in the middle of a fan-out).
   */
  setBotInChannel(channelId: number, place: BotInChannel, byUserId: number, notify = true): void {
    const chat = this.chats.get(channelId);
    if (!chat) throw new Error(`emulator: no channel ${channelId}`);
    const before = this.channelState.bot.get(channelId) ?? "left";
    this.channelState.bot.set(channelId, place);
    if (!notify) return;
    const member = (p: BotInChannel) =>
      p === "admin" || p === "admin-no-post"
        ? { user: this.bot, status: "administrator", can_post_messages: p === "admin", can_be_edited: false }
        : { user: this.bot, status: p };
    this.pushUpdate({
      my_chat_member: {
        chat,
        from: this.users.get(byUserId) ?? { id: byUserId, is_bot: false, first_name: `User${byUserId}` },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: member(before),
        new_chat_member: member(place),
      },
    });
  }

  /** A post published in a channel (the bot gets channel_post updates where it is an admin). */
  channelPost(channelId: number, text: string): number {
    const chat = this.chats.get(channelId);
    if (!chat) throw new Error(`emulator: no channel ${channelId}`);
    return this.pushUpdate({
      channel_post: {
        message_id: this.nextMessageId++,
        sender_chat: chat,
        chat,
        date: Math.floor(Date.now() / 1000),
        text,
      },
    });
  }

  /** A supergroup with topics; `adminIds` are its administrators. */
  forum(id: number, options: { title?: string; adminIds?: number[] } = {}): TgChat {
    const chat: TgChat = { id, type: "supergroup", title: options.title ?? `Forum ${id}`, is_forum: true };
    this.chats.set(id, chat);
    this.admins.set(id, new Set(options.adminIds ?? []));
    return chat;
  }

  /** Opens a topic in a forum, as one of its admins would; returns its message_thread_id. */
  createTopic(chatId: number, name: string): number {
    return createTopic(this.forums, chatId, name);
  }

  /** Closes a topic: messages to it answer 400 TOPIC_CLOSED. */
  closeTopic(chatId: number, threadId: number): void {
    this.topicOf(chatId, threadId).closed = true;
  }

  /** Deletes a topic: messages to it answer 400 "message thread not found". */
  deleteTopic(chatId: number, threadId: number): void {
    this.topicOf(chatId, threadId).deleted = true;
  }

  /** Messages the bot sent to one topic of a forum (General: `threadId` undefined). */
  messagesInThread(chatId: number, threadId: number | undefined): SentMessage[] {
    return this.messagesTo(chatId).filter((m) => m.message_thread_id === threadId);
  }

  private topicOf(chatId: number, threadId: number): ForumTopic {
    const topic = this.forums.topics.get(chatId)?.get(threadId);
    if (!topic) throw new Error(`emulator: no topic ${threadId} in chat ${chatId}`);
    return topic;
  }

  /**
   * Queues an update for the bot's getUpdates. A waiting getUpdates is answered once the current
   * run of the test's code is over, with every update pushed in it: Telegram answers with all
   * pending updates, so a burst sent at once (a flood of presses) reaches the bot together.
   */
  pushUpdate(update: Json): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update });
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        this.flushWaiters();
      });
    }
    return update_id;
  }

  /** Marks a chat as having blocked the bot: sends get 403 from now on. */
  block(chatId: number): void {
    this.blocked.add(chatId);
  }

  unblock(chatId: number): void {
    this.blocked.delete(chatId);
  }

  /** Sends to this chat answer 400 "chat not found". */
  forgetChat(chatId: number): void {
    this.missingChats.add(chatId);
  }

  // ---------------------------------------------------------------- limits and faults

  /** Enforces Telegram's limits with 429 answers (false: no limits). */
  enforceLimits(limits: LimitOptions | false = TELEGRAM_LIMITS): void {
    this.limits = limits || undefined;
    this.globalBucket = limits
      ? new Bucket(limits.globalPerSecond, limits.globalPerSecond / 1000)
      : undefined;
    const paid = (limits || undefined)?.paidPerSecond ?? PAID_BROADCAST_PER_SECOND;
    this.paidBucket = limits ? new Bucket(paid, paid / 1000) : undefined;
    this.chatBuckets.clear();
  }

  /**
   * Makes every call as slow as `options` (false: answers in microseconds). The drawn way to the
   * server passes before the call is counted against the limits, the rest of the round trip
   * before its answer leaves (see telegram/latency.ts).
   */
  setLatency(options: LatencyOptions | false): void {
    this.latency = options ? legSampler(options) : undefined;
  }

  /**
   * Gives the bot a Stars balance that paid broadcasts draw on (off by default: paid sends cost
   * nothing and are never refused). A flagged send over the free 30 a second costs 0.1 Star, and
   * one the balance cannot pay for is answered 400 BALANCE_TOO_LOW (see telegram/stars.ts).
   */
  setStarsBalance(stars: number | false): void {
    this.stars = stars === false ? undefined : new StarsAccount(stars);
  }

  /** The Stars account: balance, messages billed, paid sends refused; undefined when off. */
  get starsAccount(): StarsAccount | undefined {
    return this.stars;
  }

  /** Answers the next `count` matching calls with a fault. */
  injectFault(
    fault: Fault,
    options: { method?: string; chatId?: number; count?: number; value?: number } = {},
  ): void {
    this.faults.push({
      fault,
      remaining: options.count ?? 1,
      ...(options.method ? { method: options.method } : {}),
      ...(options.chatId !== undefined ? { chatId: options.chatId } : {}),
      ...(options.value !== undefined ? { value: options.value } : {}),
    });
  }

  /** Removes every injected fault not yet used up. */
  clearFaults(): void {
    this.faults = [];
  }

  /** Random faults on sending methods, as fractions of calls (e.g. 0.1 for 10% 5xx). */
  setRandomFaults(rates: { serverError?: number; tooManyRequests?: number }): void {
    this.randomFaults = { serverError: rates.serverError ?? 0, tooManyRequests: rates.tooManyRequests ?? 0 };
  }

  // ---------------------------------------------------------------- reading what the bot did

  /** Messages the bot sent to a chat, oldest first. */
  messagesTo(chatId: number): SentMessage[] {
    return this.messages.get(chatId) ?? [];
  }

  /** How many messages reached a chat (kept even when recordMessages is off). */
  countTo(chatId: number): number {
    return this.messageCounts.get(chatId) ?? 0;
  }

  /** Chat id → number of messages received, for every chat that received any. */
  deliveryCounts(): Map<number, number> {
    return new Map(this.messageCounts);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves when `predicate` holds, re-checked after every API call; rejects after `timeoutMs`. */
  async waitFor<T>(
    predicate: () => T | undefined | false,
    timeoutMs = 10_000,
    what = "condition",
  ): Promise<T> {
    const first = predicate();
    if (first) return first;
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = predicate();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`emulator: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(check, 50);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** Resolves once the bot is polling (its first getUpdates arrived). */
  async waitUntilPolling(timeoutMs = 15_000): Promise<void> {
    await this.waitFor(() => this.calls.some((c) => c.method === "getUpdates"), timeoutMs, "the bot to poll");
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(req.url ?? "");
    if (!match) return this.reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (match[1] !== this.token) {
      return this.reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    const method = match[2] as string;
    const open: OpenCall = { method, answered: false };
    this.openCalls.add(open);
    openCallOf.set(res, open);
    res.once("close", () => this.openCalls.delete(open));
    const params = await readParams(req);
    const legs = method === "getUpdates" ? undefined : this.latency?.();
    if (legs) {
      this.latencyDrawnMs += legs.inboundMs + legs.outboundMs;
      await sleep(legs.inboundMs);
      outboundDelay.set(res, legs.outboundMs);
    }
    // From here on, `now` is the arrival at the server: limits are Telegram's, counted on arrival.
    const now = performance.now();

    const fault = this.takeFault(method, params);
    if (fault) {
      const handled = await this.applyFault(fault, method, params, res, now);
      if (handled) return;
    }
    const { wait: limited, cause } = this.checkLimits(method, params, now);
    if (limited > 0 && cause) {
      this.tooManyRequests++;
      this.tooManyRequestsByCause[cause]++;
      const retryAfter = Math.max(1, Math.ceil(limited / 1000));
      return this.answer(res, method, params, now, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
    }
    if (method === "getUpdates") return this.getUpdates(params, res, now);
    const sending = SENDING_METHODS.has(method);
    const billed =
      sending &&
      this.stars !== undefined &&
      params.allow_paid_broadcast === true &&
      this.stars.isBillable(now);
    if (billed && !this.stars?.canPay()) {
      if (this.stars) this.stars.refused++;
      return this.answer(res, method, params, now, 400, {
        ok: false,
        error_code: 400,
        description: BALANCE_TOO_LOW,
      });
    }
    const result = this.execute(method, params, now);
    if ("error_code" in result)
      return this.answer(res, method, params, now, result.error_code as number, result);
    if (sending) {
      this.arrivals.record(now, params.allow_paid_broadcast === true);
      this.stars?.accept(now, billed);
    }
    return this.answer(res, method, params, now, 200, { ok: true, result: result.result });
  }

  private answer(
    res: ServerResponse,
    method: string,
    params: Json,
    at: number,
    status: number,
    body: Json,
  ): void {
    const call: ApiCall = { method, params, at, status };
    this.calls.push(call);
    const open = openCallOf.get(res);
    if (open) open.answered = true;
    this.reply(res, status, body, call);
    for (const listener of this.listeners) listener();
  }

  private reply(res: ServerResponse, status: number, body: Json, call?: ApiCall): void {
    const delay = outboundDelay.get(res);
    if (delay) {
      outboundDelay.delete(res);
      setTimeout(() => this.reply(res, status, body, call), delay);
      return;
    }
    if (call) call.answeredAt = performance.now();
    if (res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  private takeFault(method: string, params: Json): FaultRule | undefined {
    const chatId = params.chat_id === undefined ? undefined : Number(params.chat_id);
    const rule = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.method ? f.method === method : SENDING_METHODS.has(method)) &&
        (f.chatId === undefined || f.chatId === chatId),
    );
    if (rule) {
      rule.remaining--;
      if (rule.remaining === 0) this.faults = this.faults.filter((f) => f !== rule);
      return rule;
    }
    if (!SENDING_METHODS.has(method)) return undefined;
    const roll = Math.random();
    if (roll < this.randomFaults.serverError) return { fault: "server-error", remaining: 0 };
    if (roll < this.randomFaults.serverError + this.randomFaults.tooManyRequests) {
      return { fault: "too-many-requests", remaining: 0, value: 1 };
    }
    return undefined;
  }

  /** Answers a fault; returns false when the call should then proceed normally (slow). */
  private async applyFault(
    rule: FaultRule,
    method: string,
    params: Json,
    res: ServerResponse,
    now: number,
  ): Promise<boolean> {
    const error = (code: number, description: string, parameters?: Json) =>
      this.answer(res, method, params, now, code, {
        ok: false,
        error_code: code,
        description,
        ...(parameters ? { parameters } : {}),
      });
    switch (rule.fault) {
      case "blocked":
        error(403, "Forbidden: bot was blocked by the user");
        return true;
      case "deactivated":
        error(403, "Forbidden: user is deactivated");
        return true;
      case "chat-not-found":
        error(400, "Bad Request: chat not found");
        return true;
      case "server-error":
        error(502, "Bad Gateway");
        return true;
      case "too-many-requests":
        this.tooManyRequests++;
        this.tooManyRequestsByCause.fault++;
        error(429, `Too Many Requests: retry after ${rule.value ?? 1}`, { retry_after: rule.value ?? 1 });
        return true;
      case "migrate": {
        const newId = rule.value ?? -1_000_000_000_000 + Number(params.chat_id);
        const old = this.chats.get(Number(params.chat_id));
        this.chats.set(newId, { id: newId, type: "supergroup", title: old?.title ?? "Supergroup" });
        this.admins.set(newId, this.admins.get(Number(params.chat_id)) ?? new Set());
        error(400, "Bad Request: group chat was upgraded to a supergroup chat", {
          migrate_to_chat_id: newId,
        });
        return true;
      }
      case "drop":
        this.calls.push({ method, params, at: now, status: 0 });
        res.socket?.destroy();
        return true;
      case "slow":
        await new Promise((r) => setTimeout(r, rule.value ?? 2000));
        return false;
    }
  }

  /** Returns ms to wait when a limit is exceeded, else 0. Only sending methods count. */
  private checkLimits(method: string, params: Json, now: number): { wait: number; cause?: LimitCause } {
    if (!this.limits || !this.globalBucket || !this.paidBucket || !SENDING_METHODS.has(method)) {
      return { wait: 0 };
    }
    const chatId = Number(params.chat_id);
    let bucket = this.chatBuckets.get(chatId);
    if (!bucket) {
      const isGroup = chatId < 0;
      bucket = isGroup
        ? new Bucket(this.limits.perGroupPerMinute, this.limits.perGroupPerMinute / 60_000)
        : new Bucket(this.limits.perChatBurst, this.limits.perChatPerSecond / 1000);
      this.chatBuckets.set(chatId, bucket);
    }
    const chatWait = bucket.waitFor(now);
    if (chatWait > 0) return { wait: chatWait, cause: chatId < 0 ? "group" : "chat" };
    // allow_paid_broadcast lifts the bot-wide limit to 1,000/s (paid in Stars); chat limits stay.
    const paid = params.allow_paid_broadcast === true;
    const wait = (paid ? this.paidBucket : this.globalBucket).take(now);
    if (wait > 0) return { wait, cause: paid ? "paid" : "global" };
    // A call refused bot-wide must not use up its chat's allowance, so the chat's token goes last.
    bucket.take(now);
    return { wait: 0 };
  }

  private getUpdates(params: Json, res: ServerResponse, now: number): void {
    const offset = Number(params.offset ?? 0);
    const limit = Number(params.limit ?? 100);
    const timeout = Number(params.timeout ?? 0);
    // Telegram serves one getUpdates per token at a time: a new one ends the waiting one with 409.
    for (const other of [...this.waiters]) {
      clearTimeout(other.timer);
      other.conflict();
    }
    if (offset > 0) this.updates = this.updates.filter((u) => (u.update_id as number) >= offset);
    const ready = this.updates.slice(0, limit);
    if (ready.length > 0 || timeout <= 0) {
      this.answer(res, "getUpdates", params, now, 200, { ok: true, result: ready });
      return;
    }
    const waiter: Waiter = {
      offset,
      limit,
      resolve: (updates) => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        if (!res.writableEnded && !res.destroyed) {
          this.answer(res, "getUpdates", params, now, 200, { ok: true, result: updates });
        }
      },
      conflict: () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        this.conflicts++;
        if (!res.writableEnded && !res.destroyed) {
          this.answer(res, "getUpdates", params, now, 409, {
            ok: false,
            error_code: 409,
            description:
              "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
          });
        }
      },
      timer: setTimeout(() => waiter.resolve([]), timeout * 1000),
    };
    res.on("close", () => {
      clearTimeout(waiter.timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    });
    this.waiters.push(waiter);
    // Record the poll at once so tests can see the bot is polling before anything arrives.
    this.calls.push({ method: "getUpdates", params, at: now, status: 0 });
    for (const listener of this.listeners) listener();
  }

  private flushWaiters(): void {
    for (const waiter of [...this.waiters]) {
      const ready = this.updates
        .filter((u) => (u.update_id as number) >= waiter.offset)
        .slice(0, waiter.limit);
      if (ready.length > 0) {
        clearTimeout(waiter.timer);
        waiter.resolve(ready);
      }
    }
  }

  private execute(method: string, params: Json, now: number): { result: unknown } | Json {
    const chatId = this.chatIdOf(params.chat_id);
    const badRequest = (description: string) => ({ ok: false, error_code: 400, description });
    if (SENDING_METHODS.has(method) || method === "editMessageText" || method === "editMessageReplyMarkup") {
      if (this.missingChats.has(chatId)) return badRequest("Bad Request: chat not found");
      if (this.blocked.has(chatId)) {
        return { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" };
      }
      if (this.chats.get(chatId)?.type === "channel") {
        const refused = channelSendError(this.channelState, chatId);
        if (refused) return refused;
      }
    }
    if (SENDING_METHODS.has(method) && params.message_thread_id !== undefined) {
      if (this.chats.get(chatId)?.is_forum) {
        const refused = threadSendError(this.forums, chatId, Number(params.message_thread_id));
        if (refused) return refused;
      }
    }
    if (FORUM_TOPIC_METHODS.has(method)) {
      if (!this.chats.get(chatId)?.is_forum) return badRequest("Bad Request: the chat is not a forum");
      return forumTopicMethod(this.forums, method, chatId, params);
    }
    if (method === "getChatMember" && this.chats.get(chatId)?.type === "channel") {
      const chat = this.chats.get(chatId) as TgChat;
      return channelMember(
        this.channelState,
        chat,
        Number(params.user_id),
        this.bot,
        this.admins.get(chatId) ?? new Set(),
        this.users,
      );
    }
    if (params.reply_markup !== undefined) {
      const markupError = checkReplyMarkup(parseMaybeJson(params.reply_markup) as ReplyMarkup);
      if (markupError) return badRequest(markupError);
    }
    switch (method) {
      case "getMe":
        return { result: { ...this.bot, can_join_groups: true, can_read_all_group_messages: false } };
      case "deleteWebhook":
      case "setWebhook":
      case "setMyDescription":
      case "setMyShortDescription":
      case "setChatMenuButton":
        return { result: true };
      case "getWebhookInfo":
        return { result: { url: "", has_custom_certificate: false, pending_update_count: 0 } };
      case "setMyCommands":
      case "deleteMyCommands":
      case "getMyCommands":
        return commandMethod(this.commands, method, params);
      case "sendMessage": {
        const text = String(params.text ?? "");
        const parsed = readFormatted(text, params.parse_mode);
        if ("error" in parsed) return badRequest(parsed.error);
        const textError = checkText(parsed.text);
        if (textError) return badRequest(textError);
        const shown = { shownText: parsed.text, entities: parsed.entities };
        return { result: this.store(method, chatId, { text, ...shown }, params, now) };
      }
      case "sendPhoto": {
        const caption = params.caption === undefined ? undefined : String(params.caption);
        const parsedCaption = readCaption(caption, params.parse_mode);
        if ("error" in parsedCaption) return badRequest(parsedCaption.error);
        // grammY uploads a file as a separate multipart field named in "attach://<field>".
        const photo =
          typeof params.photo === "string" && params.photo.startsWith("attach://")
            ? params[params.photo.slice("attach://".length)]
            : params.photo;
        const bytes = photo instanceof Blob ? photo.size : String(photo ?? "").length;
        if (bytes === 0) return badRequest("Bad Request: there is no photo in the request");
        if (!(photo instanceof Blob) && !this.files.accepts(String(photo))) return badRequest(WRONG_FILE_ID);
        return {
          result: this.store(
            method,
            chatId,
            {
              ...(caption ? { caption, ...parsedCaption } : {}),
              photo: {
                bytes,
                // A photo sent by file_id keeps that id; an upload gets a new one.
                file_id: photo instanceof Blob ? this.files.issue("photo") : String(photo),
                ...(photo instanceof Blob ? { data: photo } : {}),
              },
            },
            params,
            now,
          ),
        };
      }
      case "sendDocument": {
        const caption = params.caption === undefined ? undefined : String(params.caption);
        const parsedCaption = readCaption(caption, params.parse_mode);
        if ("error" in parsedCaption) return badRequest(parsedCaption.error);
        const file =
          typeof params.document === "string" && params.document.startsWith("attach://")
            ? params[params.document.slice("attach://".length)]
            : params.document;
        if (!file) return badRequest("Bad Request: there is no document in the request");
        return {
          result: this.store(method, chatId, caption ? { caption, ...parsedCaption } : {}, params, now),
        };
      }
      case "copyMessage":
      case "forwardMessage": {
        if (method === "copyMessage" && params.caption !== undefined) {
          const parsedCaption = readCaption(String(params.caption), params.parse_mode);
          if ("error" in parsedCaption) return badRequest(parsedCaption.error);
        }
        const stored = this.store(method, chatId, { text: `[${method} ${params.message_id}]` }, params, now);
        return { result: method === "copyMessage" ? { message_id: stored.message_id } : stored };
      }
      case "editMessageText":
      case "editMessageReplyMarkup":
      case "editMessageCaption": {
        const message = this.messagesTo(chatId).find((m) => m.message_id === Number(params.message_id));
        if (!message) return badRequest("Bad Request: message to edit not found");
        const markup = parseMaybeJson(params.reply_markup) as ReplyMarkup | undefined;
        if (method === "editMessageText") {
          const text = String(params.text ?? "");
          const parsed = readFormatted(text, params.parse_mode);
          if ("error" in parsed) return badRequest(parsed.error);
          const textError = checkText(parsed.text);
          if (textError) return badRequest(textError);
          // Telegram compares what users see (text and entities), not the HTML that produced it.
          const sameText =
            parsed.text === (message.shownText ?? message.text) &&
            JSON.stringify(parsed.entities) === JSON.stringify(message.entities ?? []);
          if (sameText && JSON.stringify(markup) === JSON.stringify(message.reply_markup)) {
            return badRequest(NOT_MODIFIED);
          }
          message.text = text;
          message.shownText = parsed.text;
          message.entities = parsed.entities;
          message.history.push(text);
        }
        if (method === "editMessageCaption") {
          const caption = String(params.caption ?? "");
          const parsedCaption = readCaption(caption, params.parse_mode);
          if ("error" in parsedCaption) return badRequest(parsedCaption.error);
          Object.assign(message, { caption, ...parsedCaption });
        }
        if (
          method === "editMessageReplyMarkup" &&
          JSON.stringify(markup) === JSON.stringify(message.reply_markup)
        ) {
          return badRequest(NOT_MODIFIED);
        }
        if (markup || method === "editMessageText") {
          if (markup) message.reply_markup = markup;
          else delete message.reply_markup;
        }
        return { result: toTelegramMessage(message, this.bot) };
      }
      case "editMessageMedia": {
        const message = this.messagesTo(chatId).find((m) => m.message_id === Number(params.message_id));
        if (!message) return badRequest("Bad Request: message to edit not found");
        const media = parseMaybeJson(params.media) as
          | { type?: string; media?: unknown; caption?: string }
          | undefined;
        const file =
          typeof media?.media === "string" && media.media.startsWith("attach://")
            ? params[media.media.slice("attach://".length)]
            : media?.media;
        if (media?.type !== "photo" || !file)
          return badRequest("Bad Request: there is no media in the request");
        if (!(file instanceof Blob) && !this.files.accepts(String(file))) return badRequest(WRONG_FILE_ID);
        const markupBefore = parseMaybeJson(params.reply_markup) as ReplyMarkup | undefined;
        if (
          !(file instanceof Blob) &&
          String(file) === message.photo?.file_id &&
          (media.caption ?? message.caption) === message.caption &&
          JSON.stringify(markupBefore ?? message.reply_markup) === JSON.stringify(message.reply_markup)
        ) {
          return badRequest(NOT_MODIFIED);
        }
        const bytes = file instanceof Blob ? file.size : String(file).length;
        message.photo = {
          bytes,
          file_id: file instanceof Blob ? this.files.issue("photo-edit") : String(file),
          ...(file instanceof Blob ? { data: file } : {}),
        };
        if (media.caption !== undefined) {
          const parsedCaption = readCaption(media.caption, (media as Json).parse_mode);
          if ("error" in parsedCaption) return badRequest(parsedCaption.error);
          Object.assign(message, parsedCaption);
          message.caption = media.caption;
          message.history.push(media.caption);
        }
        const markup = parseMaybeJson(params.reply_markup) as ReplyMarkup | undefined;
        if (markup) message.reply_markup = markup;
        return { result: toTelegramMessage(message, this.bot) };
      }
      case "deleteMessage": {
        const list = this.messages.get(chatId) ?? [];
        this.messages.set(
          chatId,
          list.filter((m) => m.message_id !== Number(params.message_id)),
        );
        return { result: true };
      }
      case "answerCallbackQuery": {
        const id = String(params.callback_query_id);
        const issued = this.openCallbacks.get(id);
        this.openCallbacks.delete(id);
        // Confirmed wording (common in bot issue trackers); Telegram waits about 15 s for an answer.
        if (issued === undefined || now - issued > CALLBACK_ANSWER_TIMEOUT_MS) {
          return badRequest(
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
          );
        }
        // Not confirmed: the description for an over-long answer text.
        if (params.text !== undefined && String(params.text).length > MAX_CALLBACK_ANSWER_LENGTH) {
          return badRequest("Bad Request: MESSAGE_TOO_LONG");
        }
        this.callbackAnswers.set(id, {
          ...(params.text !== undefined ? { text: String(params.text) } : {}),
          ...(params.show_alert !== undefined ? { show_alert: Boolean(params.show_alert) } : {}),
        });
        return { result: true };
      }
      case "sendChatAction":
        return { result: true };
      case "getChat":
      case "getChatMember":
      case "getChatAdministrators":
        return chatInfoMethod(this, method, chatId, params);
      default:
        return { ok: false, error_code: 404, description: `Not Found: method ${method} is not emulated` };
    }
  }

  private store(method: string, chatId: number, content: Partial<SentMessage>, params: Json, now: number) {
    const chat = this.chats.get(chatId) ?? { id: chatId, type: chatId < 0 ? "group" : "private" };
    const markup = parseMaybeJson(params.reply_markup) as ReplyMarkup | undefined;
    const thread = params.message_thread_id === undefined ? undefined : Number(params.message_thread_id);
    const message: SentMessage = {
      message_id: this.nextMessageId++,
      chat: chat as TgChat,
      date: Math.floor(Date.now() / 1000),
      ...content,
      ...(thread !== undefined && chat.is_forum ? { message_thread_id: thread } : {}),
      ...(params.parse_mode ? { parse_mode: String(params.parse_mode) } : {}),
      ...(markup ? { reply_markup: markup } : {}),
      history: content.text ? [content.text] : [],
      method,
      at: now,
    };
    this.messageCounts.set(chatId, (this.messageCounts.get(chatId) ?? 0) + 1);
    if (this.recordMessages) {
      let list = this.messages.get(chatId);
      if (!list) {
        list = [];
        this.messages.set(chatId, list);
      }
      list.push(message);
    }
    return toTelegramMessage(message, this.bot);
  }

  /** A chat_id as the Bot API takes it: a number, or "@username" of a public chat (NaN if unknown). */
  private chatIdOf(value: unknown): number {
    if (typeof value === "string" && value.startsWith("@")) {
      const name = value.slice(1).toLowerCase();
      for (const chat of this.chats.values()) if (chat.username?.toLowerCase() === name) return chat.id;
      return Number.NaN;
    }
    return Number(value);
  }

  /** Used by TestUser. */
  nextCallbackId(): string {
    const id = `cb${this.callbackSeq++}`;
    this.openCallbacks.set(id, performance.now());
    return id;
  }
}

/** The outbound half of a call's latency, waited before its answer is written. */
const outboundDelay = new WeakMap<ServerResponse, number>();
/** A call received and not yet answered at the bot (`TelegramEmulator.inFlight`, `awaitingAnswer`). */
type OpenCall = { method: string; answered: boolean };
const openCallOf = new WeakMap<ServerResponse, OpenCall>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long Telegram waits for answerCallbackQuery before the query expires. */
const CALLBACK_ANSWER_TIMEOUT_MS = 15_000;

// Confirmed (e.g. daniel-hauser/moneyman#133, eternnoir/pyTelegramBotAPI#763).
const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

/** A caption as Telegram reads it: parsed, at most 1024 characters after parsing. */
function readCaption(
  caption: string | undefined,
  parseMode: unknown,
): { shownCaption?: string; caption_entities?: MessageEntity[] } | { error: string } {
  if (caption === undefined) return {};
  const parsed = readFormatted(caption, parseMode);
  if ("error" in parsed) return parsed;
  const captionError = checkCaption(parsed.text);
  if (captionError) return { error: captionError };
  return { shownCaption: parsed.text, caption_entities: parsed.entities };
}
