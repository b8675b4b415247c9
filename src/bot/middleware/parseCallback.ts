import type { MiddlewareFn } from "grammy";
import { decodeCallback } from "../callbackData.js";
import type { BotContext } from "../context.js";

/** Parses callback data once, so features match on `ctx.action` instead of raw strings. */
export const parseCallback: MiddlewareFn<BotContext> = async (ctx, next) => {
  const data = ctx.callbackQuery?.data;
  if (data !== undefined) {
    const action = decodeCallback(data);
    if (action) ctx.action = action;
  }
  await next();
};
