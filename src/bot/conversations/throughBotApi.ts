import type { Conversation } from "@grammyjs/conversations";
import { type Api, type Context, GrammyError, type MiddlewareFn } from "grammy";
import type { ApiResponse } from "grammy/types";
import type { BotContext } from "../context.js";

type RawCall = (payload: unknown, signal?: AbortSignal) => Promise<unknown>;

/**
 * A conversations plugin that sends a dialogue's calls through `api` (the bot's own).
 *
 * Conversations v2 give each dialogue context a new Api built from the token and the client
 * options only, so what is installed on bot.api does not run there: the send budget, auto-retry,
 * the 429 counter, flood control's "the answer left". A dialogue's messages went out unpaced,
 * and against a Telegram that counts a chat's messages they were refused with 429s.
 *
 * Installing those transformers on the dialogue's Api instead would put them outside the
 * plugin's own, which records each call and answers it from the record when the dialogue is
 * replayed: every replay would book send slots and chat pace for calls never made. So each call
 * goes through `conversation.external`, which runs it once, stores its answer and replays the
 * stored answer. Like any external op, a dialogue's calls must be awaited one at a time (the
 * plugin refuses concurrent ones), and the stored dialogues of the former recording are dropped
 * (DIALOGUE_VERSION).
 */
export function throughBotApi(api: Api) {
  return (conversation: Conversation<BotContext, Context>): MiddlewareFn<Context>[] => [
    (ctx, next) => {
      ctx.api.config.use((_recorded, method, payload, signal) =>
        conversation.external(() => responseOf(api, method, payload, signal)),
      );
      return next();
    },
  ];
}

/** The Bot API's answer to one call through `api`'s transformers, refusals included. */
async function responseOf(
  api: Api,
  method: string,
  payload: unknown,
  signal: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: a transformer's answer is typed by its caller
): Promise<ApiResponse<any>> {
  const call = (api.raw as unknown as Record<string, RawCall>)[method] as RawCall;
  try {
    return { ok: true, result: await call(payload, signal as AbortSignal | undefined) };
  } catch (err) {
    // The dialogue sees Telegram's refusal as it would have: grammY throws it again, typed.
    if (!(err instanceof GrammyError)) throw err;
    return {
      ok: false,
      error_code: err.error_code,
      description: err.description,
      ...(err.parameters ? { parameters: err.parameters } : {}),
    };
  }
}
