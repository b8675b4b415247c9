/**
 * WEBHOOK_URL and WEBHOOK_SECRET, checked by Telegram's own rules before `setWebhook` could
 * refuse them at start-up. The server side of webhook mode lives in `server/webhook.ts`.
 */
import { z } from "zod";

/** The path used when WEBHOOK_URL has none (e.g. `https://bot.example.com`). */
export const DEFAULT_WEBHOOK_PATH = "/telegram/webhook";

/** Paths the HTTP server already answers; a webhook there would shadow them. */
const RESERVED_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/** The only ports Telegram delivers webhooks to. */
const TELEGRAM_WEBHOOK_PORTS = new Set(["", "443", "80", "88", "8443"]);

/** Telegram's rule for secret_token: 1–256 characters of A-Z a-z 0-9 _ -. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

export const GENERATE_SECRET_HINT = "generate one with `openssl rand -hex 32`";

export const webhookUrl = z
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

export const webhookSecret = z
  .string()
  .trim()
  .optional()
  // Never echo the value: it is a secret even when malformed.
  .refine((value) => value === undefined || value === "" || SECRET_PATTERN.test(value), {
    message: `WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1 to 256 characters, Telegram's rule): ${GENERATE_SECRET_HINT}`,
  })
  .transform((value) => (value === "" ? undefined : value));

/** Webhook mode's settings; absent in polling mode. */
export type WebhookSettings = {
  /** The public URL registered with Telegram. */
  url: string;
  /** The path the HTTP server answers webhook POSTs on (WEBHOOK_URL's path). */
  path: string;
  secret: string;
};

/** Webhook settings from the two parsed values, or undefined for long polling. */
export function webhookSettingsOf(
  url: string | undefined,
  secret: string | undefined,
): WebhookSettings | undefined {
  if (url === undefined || secret === undefined) return undefined;
  return { url, path: new URL(url).pathname, secret };
}
