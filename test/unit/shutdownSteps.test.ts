import { describe, expect, it } from "vitest";
import { runShutdownSteps, shutdownWasClean } from "../../src/shutdownSteps.js";

describe("runShutdownSteps", () => {
  it("runs steps in order and reports each outcome, moving on past a hung or failing step", async () => {
    const order: string[] = [];
    const reports = await runShutdownSteps([
      { name: "a", budgetMs: 1_000, run: async () => order.push("a") },
      { name: "hung", budgetMs: 50, run: () => new Promise(() => order.push("hung")) },
      {
        name: "broken",
        budgetMs: 1_000,
        run: async () => {
          order.push("broken");
          throw new Error("boom");
        },
      },
      { name: "z", budgetMs: 1_000, run: async () => order.push("z") },
    ]);
    expect(order).toEqual(["a", "hung", "broken", "z"]);
    expect(reports.map((r) => [r.name, r.outcome, r.error])).toEqual([
      ["a", "done", undefined],
      ["hung", "timed out", undefined],
      ["broken", "failed", "boom"],
      ["z", "done", undefined],
    ]);
    expect(reports[1]?.ms).toBeGreaterThanOrEqual(45);
    expect(shutdownWasClean(reports)).toBe(false);
    expect(shutdownWasClean([reports[0], reports[3]].filter((r) => r !== undefined))).toBe(true);
  });

  it("keeps all steps within the total, still giving each late step a minimum", async () => {
    const began = performance.now();
    const reports = await runShutdownSteps(
      [
        { name: "slow", budgetMs: 5_000, run: () => new Promise(() => {}) },
        { name: "slower", budgetMs: 5_000, run: () => new Promise(() => {}) },
        { name: "close", budgetMs: 1_000, run: async () => undefined },
      ],
      { totalMs: 200, minStepMs: 50 },
    );
    expect(reports.map((r) => r.outcome)).toEqual(["timed out", "timed out", "done"]);
    expect(performance.now() - began).toBeLessThan(600);
  });
});
