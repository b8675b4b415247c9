import type { z } from "zod";
import type { Logger } from "../logger.js";
import type { Redis } from "./redis.js";

/**
 * Parses a JSON string read from Redis against its schema. A corrupt or outdated record is
 * logged and treated as absent, never thrown: one bad key must not take the bot down.
 */
export function parseStoredJson<S extends z.ZodType>(
  schema: S,
  raw: string | null,
  key: string,
  logger: Logger,
): z.infer<S> | undefined {
  if (raw === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    logger.warn({ key }, "corrupt record in redis (not JSON); skipped");
    return undefined;
  }
  return parseStoredValue(schema, value, key, logger);
}

/** Validates an already-decoded value read from Redis (e.g. a hash); undefined when it does not fit. */
export function parseStoredValue<S extends z.ZodType>(
  schema: S,
  value: unknown,
  key: string,
  logger: Logger,
): z.infer<S> | undefined {
  const result = schema.safeParse(value);
  if (!result.success) {
    logger.warn({ key, problem: result.error.issues[0]?.message }, "invalid record in redis; skipped");
    return undefined;
  }
  return result.data;
}

/** Reads and validates a JSON string key. */
export async function readJson<S extends z.ZodType>(
  redis: Redis,
  schema: S,
  key: string,
  logger: Logger,
): Promise<z.infer<S> | undefined> {
  return parseStoredJson(schema, await redis.get(key), key, logger);
}
