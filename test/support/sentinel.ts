import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort, waitForPing } from "./redis.js";

/**
 * A Redis high-availability group of the test's own, on free loopback ports: a primary, a
 * replica and three sentinels (quorum 2), with timings shortened so a failover takes a few
 * seconds instead of the default 30 s + election. Real processes (Debian's redis-server and
 * redis-sentinel), nothing on disk beyond a temp dir.
 */
export class SentinelGroup {
  /** The name the sentinels monitor the primary under (REDIS_SENTINEL_NAME). */
  readonly name = "kzuz";
  private readonly dir = mkdtempSync(join(tmpdir(), "kzuz-sentinel-"));
  private readonly nodes = new Map<number, ChildProcess>();
  private readonly sentinelProcesses: ChildProcess[] = [];

  private constructor(
    /** The data nodes' ports: [initial primary, replica]. */
    readonly dataPorts: [number, number],
    readonly sentinelPorts: number[],
    /** requirepass of the data nodes and of the sentinels, when set. */
    readonly passwords: { data?: string; sentinel?: string },
  ) {}

  static async start(passwords: { data?: string; sentinel?: string } = {}): Promise<SentinelGroup> {
    const group = new SentinelGroup(
      [await freePort(), await freePort()],
      [await freePort(), await freePort(), await freePort()],
      passwords,
    );
    const [primary, replica] = group.dataPorts;
    await group.startNode(primary, []);
    await group.startNode(replica, ["--replicaof", "127.0.0.1", String(primary)]);
    for (const port of group.sentinelPorts) group.startSentinel(port, primary);
    await group.waitUntilSettled();
    return group;
  }

  /** The value for REDIS_SENTINELS. */
  get sentinelsEnv(): string {
    return this.sentinelPorts.map((p) => `127.0.0.1:${p}`).join(",");
  }

  /** The port of the node the sentinels currently name as primary. */
  async primaryPort(): Promise<number> {
    const client = this.sentinelClient(this.sentinelPorts[0] as number);
    try {
      const reply = (await client.call("SENTINEL", "get-master-addr-by-name", this.name)) as string[] | null;
      return Number(reply?.[1]);
    } finally {
      client.disconnect();
    }
  }

  /** A plain client of one data node, for assertions. */
  client(port: number): Redis {
    const client = new Redis({
      port,
      host: "127.0.0.1",
      maxRetriesPerRequest: null,
      lazyConnect: false,
      ...(this.passwords.data ? { password: this.passwords.data } : {}),
    });
    client.on("error", () => {});
    return client;
  }

  /** SIGKILL, as a crashed server or a lost machine. */
  async kill(port: number): Promise<void> {
    const proc = this.nodes.get(port);
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGKILL");
    await exited;
  }

  /** Resolves once the sentinels name another node than `oldPrimary` as primary. */
  async waitForFailover(oldPrimary: number, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const port = await this.primaryPort().catch(() => oldPrimary);
      if (port !== oldPrimary) return port;
      await sleep(100);
    }
    throw new Error(`no failover within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    const all = [...this.nodes.values(), ...this.sentinelProcesses];
    await Promise.all(
      all.map((proc) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return undefined;
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGKILL");
        return exited;
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startNode(port: number, extra: string[]): Promise<void> {
    // No persistence: what survives the primary's death is what it replicated, which is what
    // the failover test is about.
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", this.dir];
    args.push("--appendonly", "no", "--dbfilename", `dump-${port}.rdb`, ...extra);
    const password = this.passwords.data;
    if (password) args.push("--requirepass", password, "--masterauth", password);
    const proc = spawn("redis-server", args, { stdio: "ignore" });
    this.nodes.set(port, proc);
    await waitForPing(port, password);
  }

  private startSentinel(port: number, primary: number): void {
    // Sentinel rewrites its config file (it records what it learns), so each gets its own.
    const conf = join(this.dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        "bind 127.0.0.1",
        `dir ${this.dir}`,
        `sentinel monitor ${this.name} 127.0.0.1 ${primary} 2`,
        // Defaults are 30 s and 180 s: far too slow for a test.
        `sentinel down-after-milliseconds ${this.name} 1000`,
        `sentinel failover-timeout ${this.name} 5000`,
        `sentinel parallel-syncs ${this.name} 1`,
        ...(this.passwords.data ? [`sentinel auth-pass ${this.name} ${this.passwords.data}`] : []),
        // A sentinel with requirepass uses the same password to talk to the other sentinels.
        ...(this.passwords.sentinel ? [`requirepass ${this.passwords.sentinel}`] : []),
        "",
      ].join("\n"),
    );
    const proc = hasRedisSentinel()
      ? spawn("redis-sentinel", [conf], { stdio: "ignore" })
      : spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
    this.sentinelProcesses.push(proc);
  }

  /** Until every sentinel knows the replica and the two other sentinels: only then can they fail over. */
  private async waitUntilSettled(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const port of this.sentinelPorts) await waitForPing(port, this.passwords.sentinel);
    while (Date.now() < deadline) {
      const states = await Promise.all(
        this.sentinelPorts.map(async (port) => {
          const client = this.sentinelClient(port);
          try {
            const master = (await client.call("SENTINEL", "master", this.name)) as string[];
            const field = (name: string) => master[master.indexOf(name) + 1];
            return Number(field("num-slaves")) >= 1 && Number(field("num-other-sentinels")) >= 2;
          } catch {
            return false;
          } finally {
            client.disconnect();
          }
        }),
      );
      if (states.every(Boolean)) return;
      await sleep(200);
    }
    throw new Error("the sentinels did not discover each other and the replica in time");
  }

  private sentinelClient(port: number): Redis {
    const client = new Redis({
      port,
      host: "127.0.0.1",
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      ...(this.passwords.sentinel ? { password: this.passwords.sentinel } : {}),
    });
    client.on("error", () => {});
    return client;
  }
}

let sentinelBinary: boolean | undefined;
/** Debian ships redis-sentinel as its own package; `redis-server --sentinel` does the same job. */
function hasRedisSentinel(): boolean {
  sentinelBinary ??= spawnSync("redis-sentinel", ["--version"], { stdio: "ignore" }).status === 0;
  return sentinelBinary;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
