import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/** A free TCP port on loopback, chosen by the OS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own, on a free port, keeping nothing on disk. */
export class ThrowawayRedis {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), "kzuz-redis-"));

  private constructor(readonly port: number) {}

  static async start(options: { appendOnly?: boolean } = {}): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort());
    await redis.launch(options.appendOnly ?? false);
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async launch(appendOnly: boolean): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--dir", this.dir];
    // fsync on every write, so a SIGKILLed server keeps all it acknowledged (as tests assert).
    args.push("--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always");
    this.process = spawn("redis-server", args, { stdio: "ignore" });
    this.process.on("error", (err) => {
      throw new Error(
        `cannot start redis-server (is it installed? apt-get install redis-server): ${err.message}`,
      );
    });
    await waitForPing(this.port);
  }

  /** Kills the server (SIGKILL: as a crash would) and waits until it is gone. */
  async kill(): Promise<void> {
    const proc = this.process;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGKILL");
    await exited;
  }

  /** Starts it again on the same port, as after a crash. With appendOnly the data survives. */
  async restart(options: { appendOnly?: boolean } = {}): Promise<void> {
    await this.kill();
    await this.launch(options.appendOnly ?? false);
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export type TestRedis = {
  url: string;
  /** A key prefix unique to this test file; pass it as REDIS_PREFIX. */
  prefix: string;
  /** A client for assertions. */
  client: Redis;
  /** The throwaway server, when this fixture started one (not with REDIS_URL). */
  server: ThrowawayRedis | undefined;
  /** Deletes this fixture's keys (and only those), closes, stops the server. */
  close(): Promise<void>;
};

/**
 * The Redis of a test file: `REDIS_URL` when set, else a throwaway redis-server. Either way the
 * file gets its own prefix, and clean-up deletes only keys under it.
 */
export async function useTestRedis(options: { appendOnly?: boolean } = {}): Promise<TestRedis> {
  const server = process.env.REDIS_URL ? undefined : await ThrowawayRedis.start(options);
  const url = process.env.REDIS_URL ?? (server as ThrowawayRedis).url;
  const prefix = `kzuztest-${randomBytes(4).toString("hex")}`;
  const client = new Redis(url, { maxRetriesPerRequest: null });
  client.on("error", () => {});
  return {
    url,
    prefix,
    client,
    server,
    async close() {
      await deleteByPattern(client, `${prefix}:*`).catch(() => {});
      client.disconnect();
      await server?.stop();
    },
  };
}

export async function deleteByPattern(client: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await client.unlink(...keys);
  } while (cursor !== "0");
}

/**
 * Waits until the Redis (or Sentinel) on `port` answers PING; throws after ~5 s. While loading its
 * append-only file Redis answers LOADING, so a connection alone is not enough.
 */
export async function waitForPing(port: number, password?: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    // A fresh client per attempt: a closed ioredis client does not reliably connect again.
    const probe = new Redis({
      port,
      host: "127.0.0.1",
      ...(password ? { password } : {}),
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      connectTimeout: 500,
    });
    probe.on("error", () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return;
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`redis on port ${port} did not start`);
}
