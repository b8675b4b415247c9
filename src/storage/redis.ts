import { Redis } from "ioredis";
import { type Logger, redactUrl } from "../logger.js";

export type { Redis };

export class RedisUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot reach Redis at ${redactUrl(url)}: is it running? (${reason})`);
    this.name = "RedisUnreachableError";
  }
}

/**
 * Opens the connection and proves it works before returning, so a wrong REDIS_URL stops start-up
 * with a clear message. Once up, a lost connection is retried forever with capped backoff and
 * commands wait in ioredis's offline queue instead of failing: a minute without Redis delays
 * work but loses nothing.
 */
export async function connectRedis(
  url: string,
  logger: Logger,
  options: { connectTimeoutMs?: number } = {},
): Promise<Redis> {
  let ready = false;
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: "kzuz-news-bot",
    maxRetriesPerRequest: null,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    retryStrategy: (attempt) => (ready ? Math.min(200 * 2 ** Math.min(attempt, 5), 5000) : null),
  });
  client.on("error", (err) => {
    if (ready) logger.warn({ err: err.message }, "redis connection error; retrying");
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new RedisUnreachableError(url, err);
  }
  ready = true;
  client.on("reconnecting", (ms: number) => logger.warn({ inMs: ms }, "redis reconnecting"));
  client.on("ready", () => logger.info("redis ready"));
  return client;
}

/**
 * Closes gracefully (QUIT after pending replies), or drops the socket if Redis is gone: a QUIT
 * sent while reconnecting would wait in the offline queue for a server that is not there.
 */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "end") return;
  if (client.status !== "ready") {
    abandonRedis(client);
    return;
  }
  try {
    await Promise.race([
      client.quit(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("quit timeout")), 2000)),
    ]);
  } catch {
    client.disconnect();
  }
}

/**
 * Gives up on a connection whose server is gone (shutdown only): it stops reconnecting and new
 * commands fail at once instead of waiting in the offline queue. Commands already queued stay
 * unanswered (ioredis has no public way to fail them), so callers bound their waits.
 */
export function abandonRedis(client: Redis): void {
  client.options.enableOfflineQueue = false;
  client.disconnect();
}
