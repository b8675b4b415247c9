import type { Context, MiddlewareFn } from "grammy";
import { detectLanguage } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import type { Logger } from "../../logger.js";
import type { SuppressedUpdateKind } from "../../server/metrics.js";
import type { RedisKeys } from "../../storage/keys.js";
import type { Redis } from "../../storage/redis.js";
import { scriptsOf } from "../../storage/scripts.js";
import { whenAnswerLeaves } from "../answerLeaving.js";

/** How many updates of each kind a chat may send per window; see docs/load.md. */
export type FloodLimits = {
  /** Messages (commands, text) per window. @defaultValue 5 (FLOOD_BURST) */
  burst: number;
  /** Button presses per window: choosing topics is many quick taps. @defaultValue 20 (FLOOD_CALLBACK_BURST) */
  callbackBurst: number;
  /** @defaultValue 10000 (FLOOD_WINDOW_MS) */
  windowMs: number;
};

/** What to do with one update, given how many the chat sent in the window (this one included). */
export type FloodVerdict = "handle" | "notice" | "suppress";

/**
 * Pure. `queued`: the update came while the chat's previous one was still being answered. Of
 * those, the first `burst` of a window are handled, the next one gets the one notice, and the
 * rest are dropped until the window ends. An update that waited for its answer, as a person
 * does, is not counted: it is handled unless the chat has already been told to slow down.
 */
export function floodVerdict(countInWindow: number, burst: number, queued = true): FloodVerdict {
  if (!queued) return countInWindow > burst ? "suppress" : "handle";
  if (countInWindow <= burst) return "handle";
  return countInWindow === burst + 1 ? "notice" : "suppress";
}

export type FloodControlDeps = {
  redis: Redis;
  keys: RedisKeys;
  limits: FloodLimits;
  /** Never limited (ADMIN_IDS): an admin's burst of commands is work, not abuse. */
  adminIds: readonly number[];
  translate: Translate;
  logger: Logger;
  onSuppressed?: (kind: SuppressedUpdateKind) => void;
};

/**
 * Per-chat flood control, placed before everything that costs (the once-only claim, the
 * profile read, the handlers). A person waits for an answer before writing again; a chat that
 * keeps sending before its answers arrive gets at most `burst` of those queued updates
 * answered and one calm notice per window; beyond that its updates cost one Redis INCR and
 * nothing else. Updates that are not a message or a button press pass untouched, and
 * so does a group's chatter that is not a command for this bot.
 * If Redis fails the update is handled as usual: flood control must never silence the bot.
 */
export function floodControl(deps: FloodControlDeps): MiddlewareFn<Context> {
  const { redis, keys, limits, translate } = deps;
  const admins = new Set(deps.adminIds);
  // Updates of each chat this process is handling whose answer has not left yet: one arriving
  // meanwhile did not wait for its answer (per process; with webhooks spread over several, each
  // one still limits what reaches it). Counted until the answer leaves, not until the handler
  // ends: the handler still waits for Telegram's reply when the person may already have read it.
  const unanswered = new Map<number, number>();
  // Commands (chat and exact text) this process is answering and whose answer has not left yet.
  // The same command again meanwhile is served by that answer: a person who taps /rates twice
  // because the first is slow under load wants the rates once, and the bot saves a send from its
  // budget. Each entry's token lets only its own handling remove it.
  const commandsAnswering = new Map<string, object>();
  return async (ctx, next) => {
    const kind = floodKindOf(ctx);
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    if (!kind || chatId === undefined || (ctx.from && admins.has(ctx.from.id))) return next();
    const command = kind === "message" ? repeatableCommand(ctx, chatId) : undefined;
    // A repeat is still counted as a queued update, so a chat that keeps repeating a command
    // reaches its notice as any flood does; while within the burst it is simply served by the
    // answer on its way.
    if (command !== undefined && commandsAnswering.has(command)) {
      return judge(ctx, async () => deps.onSuppressed?.("repeat"), kind, chatId, true);
    }
    const queued = (unanswered.get(chatId) ?? 0) > 0;
    unanswered.set(chatId, (unanswered.get(chatId) ?? 0) + 1);
    const token = {};
    let waiting = true;
    const answerLeft = () => {
      if (command !== undefined && commandsAnswering.get(command) === token)
        commandsAnswering.delete(command);
      if (!waiting) return;
      waiting = false;
      const left = (unanswered.get(chatId) ?? 1) - 1;
      if (left > 0) unanswered.set(chatId, left);
      else unanswered.delete(chatId);
    };
    if (command !== undefined) commandsAnswering.set(command, token);
    try {
      await whenAnswerLeaves(answerLeft, () => judge(ctx, next, kind, chatId, queued));
    } finally {
      answerLeft();
    }
  };

  async function judge(
    ctx: Context,
    next: () => Promise<void>,
    kind: SuppressedUpdateKind,
    chatId: number,
    queued: boolean,
  ): Promise<void> {
    let count: number;
    try {
      const key = keys.floodCount(kind, chatId);
      count = await scriptsOf(redis).kzuzFloodCount(key, limits.windowMs, queued ? "1" : "0");
    } catch (err) {
      deps.logger.warn({ err }, "flood counter unavailable; update handled");
      return next();
    }
    const verdict = floodVerdict(count, kind === "callback" ? limits.callbackBurst : limits.burst, queued);
    if (verdict === "handle") return next();
    deps.onSuppressed?.(kind);
    if (verdict === "suppress") return;
    // The language of the sender's Telegram app: reading the stored profile would cost a round trip.
    const notice = translate(detectLanguage(ctx.from?.language_code), "flood-notice");
    deps.logger.info({ chatId, kind, count }, "flood control: chat told to slow down");
    try {
      // A button press gets the notice as its toast (no message in the chat); later ones get no
      // answer at all and their spinner simply stops.
      if (kind === "callback") await ctx.answerCallbackQuery({ text: notice });
      else await ctx.reply(notice);
    } catch {
      // Telegram refused the notice (blocked, query too old): nothing more to spend on this chat.
    }
  }
}

/**
 * The key of a command that a repeat may share an answer with: a new message (not an edit) whose
 * whole text is a command, such as `/rates` or `/latest`. A command with arguments is not
 * merged with another (its answer may differ), and neither is plain text, which may be a step
 * of a dialogue.
 */
export function repeatableCommand(ctx: Pick<Context, "message">, chatId: number): string | undefined {
  const message = ctx.message;
  const first = message?.entities?.[0];
  if (!message?.text || first?.type !== "bot_command" || first.offset !== 0) return undefined;
  if (first.length !== message.text.length) return undefined;
  return `${chatId}\n${message.text.toLowerCase()}`;
}

/**
 * What an update counts as, if anything. In a group only commands for this bot count: with
 * privacy mode off the bot sees every message of a lively group, answers none of them, and must
 * not tell the group to slow down.
 */
function floodKindOf(ctx: Context): SuppressedUpdateKind | undefined {
  if (ctx.callbackQuery) return "callback";
  const message = ctx.message ?? ctx.editedMessage;
  if (!message) return undefined;
  if (message.chat.type === "private") return "message";
  const first = message.entities?.[0];
  if (first?.type !== "bot_command" || first.offset !== 0) return undefined;
  const target = message.text?.slice(0, first.length).split("@")[1];
  return !target || target.toLowerCase() === ctx.me.username.toLowerCase() ? "message" : undefined;
}
