import { afterEach, describe, expect, it } from "vitest";
import { BotHarness } from "../support/botHarness.js";

/**
 * SIGTERM through the real entry point. The orchestrator kills at ~10 s; compose and Kubernetes
 * may stop Redis first, so the bot must not spend that time waiting for a Redis that is gone.
 */
describe("graceful shutdown", () => {
  let h: BotHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const logLines = (stdout: string) =>
    stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg: string; steps?: Record<string, string>; ms?: number });

  it("exits 0 within 3 s when Redis is up, every step done", async () => {
    h = await BotHarness.start();
    const bot = h.bot;
    if (!bot) throw new Error("no bot");
    const began = Date.now();
    const exit = await bot.stop();
    const took = Date.now() - began;
    const lines = logLines(bot.output().stdout);
    expect(exit.code, bot.output().stdout).toBe(0);
    expect(took).toBeLessThan(3_000);
    const steps = lines.find((l) => l.msg === "shutdown steps")?.steps ?? {};
    expect(Object.keys(steps)).toEqual([
      "http",
      "polling",
      "handlers",
      "confirm-updates",
      "jobs",
      "delivery",
      "redis",
    ]);
    for (const outcome of Object.values(steps)) expect(outcome).toMatch(/ms done$/);
  });

  it("exits 0 promptly, saying why, when Redis is already gone at SIGTERM", async () => {
    h = await BotHarness.start();
    const bot = h.bot;
    if (!bot || !h.redis.server) return; // an external REDIS_URL cannot be killed by the test
    await h.redis.server.kill();
    // Let the bot notice (its connection drops and starts reconnecting).
    await new Promise((r) => setTimeout(r, 300));
    const began = Date.now();
    const exit = await bot.stop();
    const took = Date.now() - began;
    const { stdout } = bot.output();
    expect(exit.code, stdout).toBe(0);
    // Before the fix: 9.09 s (the whole deadline) and exit 1; now about 0.5 s.
    expect(took, stdout).toBeLessThan(2_000);
    const lines = logLines(stdout);
    expect(lines.some((l) => l.msg.startsWith("Redis is unreachable at shutdown"))).toBe(true);
    expect(lines.some((l) => l.msg === "stopped")).toBe(true);
    await h.redis.server.restart();
  });
});
