/**
 * Field parsers for the environment schema in `config.ts`: each takes the variable's raw text and
 * either returns a typed value or adds an issue that names the variable and says how to fix it.
 * Values are never echoed in a message, since some of them are secrets.
 */
import cron from "node-cron";
import { z } from "zod";

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function cronExpression(name: string, fallback: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => cron.validate(v), {
      message: `${name} is not a valid cron expression: use five fields like "${fallback}" (minute hour day month weekday)`,
    });
}

export function httpUrl(name: string, fallback: string, hint: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .refine(
      (v) => {
        try {
          const u = new URL(v);
          return u.protocol === "http:" || u.protocol === "https:";
        } catch {
          return false;
        }
      },
      { message: `${name} is not an http(s) URL: ${hint}` },
    )
    .transform((v) => v.replace(/\/+$/, ""));
}

/**
 * An optional variable read by `read`, which returns the value or a problem text; unset (or
 * blank) gives `fallback`.
 */
function optionalValue<T, F>(
  fallback: F,
  read: (text: string) => { value: T } | { problem: string },
): z.ZodType<T | F, string | undefined> {
  return z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const result = read(v);
      if ("problem" in result) {
        ctx.addIssue({ code: "custom", message: result.problem });
        return z.NEVER;
      }
      return result.value;
    });
}

export function positiveNumber(name: string, fallback: number, hint: string) {
  return optionalValue<number, number>(fallback, (v) => {
    const n = Number(v);
    return Number.isFinite(n) && n > 0
      ? { value: n }
      : { problem: `${name} must be a positive number: ${hint}` };
  });
}

export function flag(name: string, fallback: boolean) {
  return optionalValue<boolean, boolean>(fallback, (v) => {
    if (/^(1|true|yes|on)$/i.test(v)) return { value: true };
    if (/^(0|false|no|off)$/i.test(v)) return { value: false };
    return { problem: `${name} must be true or false` };
  });
}

export function port(name: string) {
  return optionalValue<number, undefined>(undefined, (v) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= 0 && n <= 65535
      ? { value: n }
      : { problem: `${name} must be a port number from 0 to 65535 (e.g. 8080)` };
  });
}

export function oneOf<const T extends readonly string[]>(name: string, values: T, fallback: T[number]) {
  return z
    .string()
    .trim()
    .toLowerCase()
    .default(fallback)
    .refine((v) => (values as readonly string[]).includes(v), {
      message: `${name} must be one of ${values.join(", ")}`,
    })
    .transform((v) => v as T[number]);
}

export const botToken = z
  .string({ error: "BOT_TOKEN is missing: create a bot with @BotFather and set BOT_TOKEN" })
  .trim()
  .min(1, "BOT_TOKEN is missing: create a bot with @BotFather and set BOT_TOKEN")
  // Never echo the value: a token pasted with a typo is still mostly a secret.
  .regex(
    /^\d+:[A-Za-z0-9_-]{20,}$/,
    "BOT_TOKEN does not look like a bot token (digits, a colon, then letters): copy it again from @BotFather",
  );

export const redisUrl = z
  .string()
  .trim()
  .default("redis://127.0.0.1:6379")
  .refine((v) => /^rediss?:\/\/[^\s]+$/.test(v), {
    message: "REDIS_URL must look like redis://host:port or rediss://user:password@host:port/db",
  });

export const redisPrefix = z
  .string()
  .trim()
  .default("kzuz")
  .refine((v) => /^[A-Za-z0-9_.-]{1,40}$/.test(v), {
    message: "REDIS_PREFIX may hold only letters, digits, '_', '.', '-' (up to 40), e.g. kzuz",
  });

export const adminIds = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const parts = (v ?? "")
      .split(/[\s,;]+/)
      .map((p) => p.trim())
      .filter(Boolean);
    const bad = parts.filter((p) => !/^\d{1,15}$/.test(p));
    if (bad.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `ADMIN_IDS must be numeric Telegram user ids separated by commas (e.g. 12345,67890); not ids: ${bad.join(", ")}`,
      });
      return z.NEVER;
    }
    return [...new Set(parts.map(Number))];
  });

export const timeZone = z.string().trim().default("Asia/Almaty").refine(isTimeZone, {
  message: "TIMEZONE is not an IANA time zone: use a name like Asia/Almaty or Asia/Tashkent",
});
