import { pino } from "pino";

export type Logger = pino.Logger;

/**
 * Replaces every occurrence of the given secrets in a string. Telegram puts the bot token in the
 * request URL, so any error that quotes a URL would otherwise carry it into the logs.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}

/** Hides the password of a redis://user:password@host URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * The one pino logger of the process, created in main and passed down. Writes JSON lines to
 * stdout; every string and error that passes through it is scrubbed of the given secrets.
 */
export function createLogger(options: {
  level: string;
  secrets?: readonly string[];
  name?: string;
  /** Where lines go; stdout by default. */
  destination?: pino.DestinationStream;
}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 8);
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return redactSecrets(value, secrets);
    if (value instanceof Error) {
      const serialized = pino.stdSerializers.err(value) as unknown as Record<string, unknown>;
      return JSON.parse(redactSecrets(JSON.stringify(serialized), secrets));
    }
    return value;
  };
  return pino(
    {
      name: options.name ?? "kzuz-news-bot",
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: (e: unknown) => scrub(e), error: (e: unknown) => scrub(e) },
      hooks: {
        logMethod(args, method) {
          if (secrets.length === 0) return method.apply(this, args);
          // Shallow on purpose: log objects are flat here, and a deep walk would cost every line.
          const cleaned = args.map((a) =>
            a && typeof a === "object" && !(a instanceof Error)
              ? Object.fromEntries(Object.entries(a).map(([k, v]) => [k, scrub(v)]))
              : scrub(a),
          ) as Parameters<typeof method>;
          return method.apply(this, cleaned);
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
}
