import { Redis, type RedisOptions } from "ioredis";
import { errorText } from "../errorText.js";
import { type Logger, redactUrl } from "../logger.js";

export type { Redis };

/**
 * Redis behind Sentinel: the bot asks the sentinels which node is the primary and follows a
 * failover (ioredis reconnects to the new primary; BullMQ's connections duplicate the app's, so
 * they follow too).
 */
export type RedisSentinelSettings = {
  sentinels: Array<{ host: string; port: number }>;
  /** The name the sentinels monitor the primary under (`sentinel monitor <name> …`). */
  name: string;
  /** For the sentinels themselves (`requirepass` / ACL user on the sentinels). */
  username: string | undefined;
  password: string | undefined;
  /** TLS to the sentinels; TLS to the data nodes comes from a rediss: REDIS_URL. */
  tls: boolean;
};

export class RedisUnreachableError extends Error {
  constructor(where: string, cause: unknown) {
    const reason = errorText(cause);
    super(`cannot reach Redis at ${where}: is it running? (${reason})`);
    this.name = "RedisUnreachableError";
  }
}

/** What a connection failure names, without credentials. */
function describeTarget(url: string, sentinel: RedisSentinelSettings | undefined): string {
  if (!sentinel) return redactUrl(url);
  const list = sentinel.sentinels.map((s) => `${s.host}:${s.port}`).join(",");
  return `primary "${sentinel.name}" through sentinels ${list} (REDIS_SENTINELS)`;
}

/**
 * ioredis options for Sentinel mode: the data nodes' user, password, db and TLS come from
 * REDIS_URL; its host and port are not used, the sentinels name the primary.
 */
export function sentinelOptions(url: string, sentinel: RedisSentinelSettings): RedisOptions {
  const u = new URL(url);
  const db = Number(u.pathname.replace(/^\//, "") || 0);
  return {
    sentinels: sentinel.sentinels,
    name: sentinel.name,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(u.protocol === "rediss:" ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    ...(sentinel.username ? { sentinelUsername: sentinel.username } : {}),
    ...(sentinel.password ? { sentinelPassword: sentinel.password } : {}),
    ...(sentinel.tls ? { sentinelTLS: {} } : {}),
    // Listens to the sentinels' +switch-master: reconnect at the failover, not at the next error.
    failoverDetector: true,
  };
}

/**
 * Opens the connection and proves it works before returning, so a wrong REDIS_URL (or
 * REDIS_SENTINELS) stops start-up with a clear message. Once up, a lost connection is retried
 * forever with capped backoff and commands wait in ioredis's offline queue instead of failing: a
 * minute without Redis, or a Sentinel failover, delays work but loses nothing.
 */
export async function connectRedis(
  url: string,
  logger: Logger,
  options: { connectTimeoutMs?: number; sentinel?: RedisSentinelSettings | undefined } = {},
): Promise<Redis> {
  let ready = false;
  const common: RedisOptions = {
    lazyConnect: true,
    connectionName: "kzuz-news-bot",
    maxRetriesPerRequest: null,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    retryStrategy: (attempt) => (ready ? Math.min(200 * 2 ** Math.min(attempt, 5), 5000) : null),
    // A node a failover demoted answers writes with READONLY: reconnect (through the sentinels,
    // to the new primary) and resend the command.
    reconnectOnError: (err) => (err.message.startsWith("READONLY") ? 2 : false),
  };
  const client = options.sentinel
    ? new Redis({
        ...common,
        ...sentinelOptions(url, options.sentinel),
        // While starting, give up after a few rounds of the list (a wrong REDIS_SENTINELS must
        // stop start-up); once up, keep asking the sentinels through a failover.
        sentinelRetryStrategy: (attempt) =>
          ready ? Math.min(100 * attempt, 1000) : attempt > 3 ? null : 200,
      })
    : new Redis(url, common);
  client.on("error", (err) => {
    if (ready) logger.warn({ err }, "redis connection error; retrying");
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new RedisUnreachableError(describeTarget(url, options.sentinel), err);
  }
  ready = true;
  client.on("reconnecting", (ms: number) => logger.warn({ inMs: ms }, "redis reconnecting"));
  client.on("ready", () => logger.info("redis ready"));
  return client;
}

/**
 * Another connection to the same Redis (through the same sentinels, with the same retries), for
 * a client that needs its own: BullMQ, for its blocking reads. Connects at once.
 */
export function duplicateRedis(client: Redis, connectionName: string): Redis {
  return client.duplicate({ lazyConnect: false, connectionName, maxRetriesPerRequest: null });
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
