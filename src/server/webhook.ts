/**
 * Webhook mode: Telegram POSTs each update to WEBHOOK_URL instead of the bot long-polling.
 * This module holds the node:http request handler built on grammY's `webhookCallback` and the
 * `setWebhook` registration; WEBHOOK_URL and WEBHOOK_SECRET are parsed in `config/webhookFields.ts`.
 *
 * The local path is the path of WEBHOOK_URL (`/telegram/webhook` when the URL has none), so one
 * variable describes both sides and a reverse proxy that passes paths through unchanged (nginx
 * `proxy_pass http://bot:8080;`, Caddy `reverse_proxy`, Traefik) needs no rewrite. The path is
 * not a secret and never holds the bot token: every request is authenticated by Telegram's
 * `X-Telegram-Bot-Api-Secret-Token` header instead, which, unlike a path, does not end up in
 * proxy access logs, and which can be rotated without changing the URL.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Api, type Bot, type Context, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { errorText } from "../errorText.js";
import type { Logger } from "../logger.js";

/** The header Telegram sends the secret in (node lower-cases header names). */
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/**
 * How long one update may hold its webhook request. Past it Telegram gets its 200 and the
 * handler finishes in the background: Telegram waits only so long before it counts the
 * delivery as failed and sends the same update again.
 */
export const WEBHOOK_HANDLER_TIMEOUT_MS = 10_000;

/** An update type for `allowed_updates` (message, callback_query, …). */
export type UpdateType = Exclude<keyof Update, "update_id">;

/** A node:http handler for webhook POSTs. */
export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * True when the request carries the secret. Compares SHA-256 digests in constant time, so
 * neither the secret's bytes nor its length leak through response timing.
 */
export function hasWebhookSecret(req: IncomingMessage, secret: string): boolean {
  const header = req.headers[SECRET_HEADER];
  const given = Array.isArray(header) ? header[0] : header;
  if (given === undefined) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/**
 * Builds the request handler that feeds webhook POSTs to the bot. A request without the right
 * secret gets 401 before its body is read or the bot is touched (grammY checks again itself).
 * A malformed body gets 400. An update whose handling fails is logged and still acknowledged
 * with 200, as the poller confirms such updates: answering 5xx would make Telegram deliver the
 * same poisonous update again and again. The bot must have a `bot.catch` handler.
 */
export function createWebhookHandler<C extends Context>(
  bot: Bot<C>,
  options: { secret: string; logger: Logger; timeoutMs?: number },
): WebhookHandler {
  const { secret, logger } = options;
  const timeoutMs = options.timeoutMs ?? WEBHOOK_HANDLER_TIMEOUT_MS;
  const callback = webhookCallback(bot, "http", {
    secretToken: secret,
    // Behaves as "return" (answer 200, let the handler finish), and says so in the log.
    onTimeout: () => logger.warn({ timeoutMs }, "update handling outlasted the webhook timeout; answered"),
    timeoutMilliseconds: timeoutMs,
  });
  return async (req, res) => {
    if (!hasWebhookSecret(req, secret)) {
      res.writeHead(401, { "content-type": "text/plain; charset=utf-8" }).end("unauthorized");
      return;
    }
    try {
      await callback(req, res);
    } catch (err) {
      const malformed = err instanceof SyntaxError;
      if (malformed) logger.warn("webhook request body is not JSON; answered 400");
      else logger.error({ err }, "webhook update failed; acknowledged anyway");
      if (!res.headersSent) res.writeHead(malformed ? 400 : 200);
      if (!res.writableEnded) res.end();
    }
  };
}

/**
 * Tells Telegram to deliver updates to `url` with `secret` in every request's header. Updates
 * that queued up meanwhile (e.g. while switching from polling) are kept, not dropped. The
 * error thrown on failure carries Telegram's description but never the secret.
 */
export async function registerWebhook(
  api: Api,
  options: {
    url: string;
    secret: string;
    /** Update types to receive; omitted: Telegram keeps the previous setting. */
    allowedUpdates?: readonly UpdateType[];
    maxConnections?: number;
  },
): Promise<void> {
  try {
    await api.setWebhook(options.url, {
      secret_token: options.secret,
      drop_pending_updates: false,
      ...(options.allowedUpdates ? { allowed_updates: options.allowedUpdates } : {}),
      ...(options.maxConnections !== undefined ? { max_connections: options.maxConnections } : {}),
    });
  } catch (err) {
    // grammY's error keeps the request payload, secret included: rethrow only the message.
    throw new Error(`could not register the webhook with Telegram: ${errorText(err)}`);
  }
}
