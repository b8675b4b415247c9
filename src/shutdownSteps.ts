/**
 * The graceful shutdown as a list of timed steps. Each step gets a budget: a step that hangs (a
 * Redis command queued behind an outage, a send that never answers) is left behind when its
 * budget runs out, so the steps after it still run and the process exits in time instead of
 * being killed by the orchestrator halfway through.
 */

export type ShutdownStep = {
  /** Names the step in the log line ("delivery", "redis"). */
  name: string;
  run: () => Promise<unknown>;
  /** How long the step may take before shutdown moves on without it. */
  budgetMs: number;
};

export type ShutdownStepReport = {
  name: string;
  /** Wall time the step took (its budget when it timed out). */
  ms: number;
  outcome: "done" | "failed" | "timed out";
  /** The error message of a failed step. */
  error?: string;
};

/**
 * Runs the steps one after another, each bounded by its budget and all together by `totalMs`
 * (a step gets at most what is left of it, but at least `minStepMs`, so the last steps - closing
 * Redis - still get their chance). Never rejects: a failed or timed-out step is reported and the
 * next one runs.
 */
export async function runShutdownSteps(
  steps: readonly ShutdownStep[],
  options: { totalMs?: number; minStepMs?: number; now?: () => number } = {},
): Promise<ShutdownStepReport[]> {
  const now = options.now ?? (() => performance.now());
  const totalMs = options.totalMs ?? Number.POSITIVE_INFINITY;
  const minStepMs = options.minStepMs ?? 100;
  const began = now();
  const reports: ShutdownStepReport[] = [];
  for (const step of steps) {
    const started = now();
    const budgetMs = Math.max(minStepMs, Math.min(step.budgetMs, totalMs - (started - began)));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timed out">((resolve) => {
      timer = setTimeout(() => resolve("timed out"), budgetMs);
    });
    const outcome = await Promise.race([
      Promise.resolve()
        .then(step.run)
        .then(
          () => ({ outcome: "done" as const }),
          (err: unknown) => ({
            outcome: "failed" as const,
            error: err instanceof Error ? err.message : String(err),
          }),
        ),
      timedOut.then((outcome) => ({ outcome })),
    ]);
    clearTimeout(timer);
    reports.push({ name: step.name, ms: Math.round(now() - started), ...outcome });
  }
  return reports;
}

/** True when every step finished by itself (none failed or ran out of time). */
export function shutdownWasClean(reports: readonly ShutdownStepReport[]): boolean {
  return reports.every((r) => r.outcome === "done");
}
