/**
 * The figures of a running broadcast's progress message: what went out, what failed, what is
 * left, how fast, and how long until done. Pure, so the arithmetic is tested without Telegram.
 */

/** Outcome counters of a broadcast's ref, as the delivery worker keeps them. */
export type BroadcastCounts = {
  sent: number;
  blocked: number;
  gone: number;
  failed: number;
  /** Chats that already had it (a second enqueue, a restart): processed, not sent again. */
  duplicate: number;
  /** Jobs skipped because the broadcast was cancelled. */
  cancelled: number;
  // Not outcomes (a message may meet them and still be sent), so not part of `processedOf`:
  /** Sent with allow_paid_broadcast (billed in Stars, at most 0.1 each). */
  paid: number;
  /** Refused by Telegram for want of Stars, then sent unpaid at the free rate. */
  unpaid: number;
  /** 429s Telegram answered to this broadcast (each message retried after the pause). */
  "rate-limited": number;
};

const COUNT_FIELDS = ["sent", "blocked", "gone", "failed", "duplicate", "cancelled"] as const;
const NOTE_FIELDS = ["paid", "unpaid", "rate-limited"] as const;

/** Reads counters from a Redis hash; anything missing or not a number counts 0. */
export function parseCounts(raw: Record<string, string | undefined>): BroadcastCounts {
  const out = {} as BroadcastCounts;
  for (const field of [...COUNT_FIELDS, ...NOTE_FIELDS]) {
    const n = Number(raw[field] ?? 0);
    out[field] = Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
  }
  return out;
}

/** Jobs that reached an end (sent or not). */
export function processedOf(counts: BroadcastCounts): number {
  return COUNT_FIELDS.reduce((sum, field) => sum + counts[field], 0);
}

/** One observation of a broadcast: at `at` (ms), `processed` jobs had ended. */
export type ProgressSample = { at: number; processed: number };

export type ProgressFigures = {
  total: number;
  sent: number;
  failed: number;
  /** Blocked the bot or gone (deleted, deactivated): deactivated, never retried. */
  blocked: number;
  remaining: number;
  /** Jobs ended per second over the recent samples; undefined until two samples exist. */
  ratePerSecond: number | undefined;
  /** Seconds until done at that rate; undefined when the rate is unknown or zero. */
  etaSeconds: number | undefined;
};

/** The samples within this window make the rate: recent enough to follow a 429 pause. */
export const RATE_WINDOW_MS = 10_000;

/**
 * The progress figures from the counters and recent samples (oldest first). The rate is the
 * slope between the oldest sample inside RATE_WINDOW_MS and the newest, so it follows pauses
 * instead of averaging them away.
 */
export function progressFigures(
  total: number,
  counts: BroadcastCounts,
  samples: readonly ProgressSample[],
): ProgressFigures {
  const remaining = Math.max(0, total - processedOf(counts));
  const newest = samples.at(-1);
  const oldest = newest ? samples.find((s) => newest.at - s.at <= RATE_WINDOW_MS) : undefined;
  let ratePerSecond: number | undefined;
  if (newest && oldest && newest.at - oldest.at >= 500) {
    ratePerSecond = Math.max(0, (newest.processed - oldest.processed) / ((newest.at - oldest.at) / 1000));
  }
  const etaSeconds =
    remaining === 0
      ? 0
      : ratePerSecond && ratePerSecond > 0
        ? Math.ceil(remaining / ratePerSecond)
        : undefined;
  return {
    total,
    sent: counts.sent,
    failed: counts.failed,
    blocked: counts.blocked + counts.gone,
    remaining,
    ratePerSecond,
    etaSeconds,
  };
}

/** Keeps samples inside the rate window (plus one older, so the window is always spanned). */
export function trimSamples(samples: ProgressSample[], now: number): ProgressSample[] {
  const firstInside = samples.findIndex((s) => now - s.at <= RATE_WINDOW_MS);
  if (firstInside <= 0) return samples;
  return samples.slice(firstInside - 1);
}

/** "0:07", "12:05", "1:02:03": language-neutral, so no unit words to translate. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
