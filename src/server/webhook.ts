/**
 * Webhook mode: Telegram POSTs each update to WEBHOOK_URL instead of the bot long-polling.
 * This module holds the configuration fragment, the node:http request handler built on
 * grammY's `webhookCallback`, and the `setWebhook` registration.
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
import { z } from "zod";
import type { Logger } from "../logger.js";

/** The path used when WEBHOOK_URL has none (e.g. `https://bot.example.com`). */
export const DEFAULT_WEBHOOK_PATH = "/telegram/webhook";

/** Paths the HTTP server already answers; a webhook there would shadow them. */
const RESERVED_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/** The only ports Telegram delivers webhooks to. */
const TELEGRAM_WEBHOOK_PORTS = new Set(["", "443", "80", "88", "8443"]);

/** Telegram's rule for secret_token: 1–256 characters of A-Z a-z 0-9 _ -. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/** The header Telegram sends the secret in (node lower-cases header names). */
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/**
 * How long one update may hold its webhook request. Past it Telegram gets its 200 and the
 * handler finishes in the background: Telegram waits only so long before it counts the
 * delivery as failed and sends the same update again.
 */
export const WEBHOOK_HANDLER_TIMEOUT_MS = 10_000;

const GENERATE_HINT = "generate one with `openssl rand -hex 32`";

const webhookUrl = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === "") return undefined;
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return fail(
        "WEBHOOK_URL is not a URL: give the public https address Telegram should call, e.g. https://bot.example.com/telegram/webhook",
      );
    }
    if (url.protocol !== "https:") {
      return fail(
        "WEBHOOK_URL must start with https:// (Telegram calls webhooks only over HTTPS): put a TLS reverse proxy in front of the bot and give its public address",
      );
    }
    if (!TELEGRAM_WEBHOOK_PORTS.has(url.port)) {
      return fail(
        "WEBHOOK_URL may use only port 443, 80, 88 or 8443 (the ones Telegram calls): drop the port or use one of those",
      );
    }
    if (url.username || url.password) {
      return fail("WEBHOOK_URL must not contain a user or password: authentication is WEBHOOK_SECRET's job");
    }
    url.hash = "";
    const path = url.pathname.replace(/\/+$/, "");
    url.pathname = path === "" ? DEFAULT_WEBHOOK_PATH : path;
    if (RESERVED_PATHS.has(url.pathname)) {
      return fail(
        `WEBHOOK_URL's path ${url.pathname} is taken by the health server: use another path, e.g. ${DEFAULT_WEBHOOK_PATH}`,
      );
    }
    return url.toString();
  });

const webhookSecret = z
  .string()
  .trim()
  .optional()
  // Never echo the value: it is a secret even when malformed.
  .refine((value) => value === undefined || value === "" || SECRET_PATTERN.test(value), {
    message: `WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1 to 256 characters, Telegram's rule): ${GENERATE_HINT}`,
  })
  .transform((value) => (value === "" ? undefined : value));

/**
 * The environment fragment for webhook mode, to be merged into the config schema. WEBHOOK_URL
 * switches the bot from long polling to webhooks and then needs WEBHOOK_SECRET; a secret alone
 * is refused too, since the operator most likely forgot the URL and would silently get polling.
 */
export const webhookConfigSchema = z
  .object({ WEBHOOK_URL: webhookUrl, WEBHOOK_SECRET: webhookSecret })
  .superRefine((env, ctx) => {
    if (env.WEBHOOK_URL !== undefined && env.WEBHOOK_SECRET === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET"],
        message: `WEBHOOK_SECRET is required when WEBHOOK_URL is set: ${GENERATE_HINT}`,
      });
    }
    if (env.WEBHOOK_SECRET !== undefined && env.WEBHOOK_URL === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_URL"],
        message:
          "WEBHOOK_SECRET is set but WEBHOOK_URL is not: set WEBHOOK_URL to the bot's public https address for webhook mode, or remove WEBHOOK_SECRET to keep long polling",
      });
    }
  });

/** Webhook mode's settings; absent in polling mode. */
export type WebhookSettings = {
  /** The public URL registered with Telegram. */
  url: string;
  /** The path the HTTP server answers webhook POSTs on (WEBHOOK_URL's path). */
  path: string;
  secret: string;
};

/** Webhook settings from the parsed fragment, or undefined for long polling. */
export function webhookSettingsOf(env: {
  WEBHOOK_URL?: string | undefined;
  WEBHOOK_SECRET?: string | undefined;
}): WebhookSettings | undefined {
  if (env.WEBHOOK_URL === undefined || env.WEBHOOK_SECRET === undefined) return undefined;
  return { url: env.WEBHOOK_URL, path: new URL(env.WEBHOOK_URL).pathname, secret: env.WEBHOOK_SECRET };
}

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
      else logger.error({ err: errorMessage(err) }, "webhook update failed; acknowledged anyway");
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
    throw new Error(`could not register the webhook with Telegram: ${errorMessage(err)}`);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
