/**
 * How slow Telegram is: a seeded latency model for benchmarks. A request's round trip is drawn
 * from a lognormal distribution (with rare multi-second stalls); half of it passes before the
 * request reaches the server (where limits are counted), half before the answer reaches the bot.
 */

export type LatencyOptions = {
  /** Median round trip in ms. */
  medianMs: number;
  /** 99th percentile of the round trip in ms (sets the lognormal's spread). */
  p99Ms: number;
  /** Chance that a request stalls instead, e.g. 0.002. @defaultValue 0 */
  stallProbability?: number;
  /** A stall's round trip, drawn uniformly from [min, max] ms. @defaultValue [2000, 5000] */
  stallMs?: [number, number];
  /** Seed of the random generator, so a run can be reproduced. @defaultValue 1 */
  seed?: number;
};

/** Telegram as a bot in a data centre sees it: median 150 ms, p99 ≈ 1 s, a stall in 500. */
export const TELEGRAM_LATENCY: LatencyOptions = {
  medianMs: 150,
  p99Ms: 1000,
  stallProbability: 0.002,
  stallMs: [2000, 5000],
  seed: 1,
};

/** z of the 99th percentile of the standard normal distribution. */
const Z99 = 2.326;

/** mulberry32: a small, fast, seedable generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a sampler of round-trip latencies in ms; the same seed gives the same sequence. */
export function latencySampler(options: LatencyOptions): () => number {
  const random = seededRandom(options.seed ?? 1);
  const mu = Math.log(options.medianMs);
  const sigma = Math.log(options.p99Ms / options.medianMs) / Z99;
  const [stallMin, stallMax] = options.stallMs ?? [2000, 5000];
  return () => {
    if (random() < (options.stallProbability ?? 0)) return stallMin + random() * (stallMax - stallMin);
    // Box–Muller: one standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.exp(mu + sigma * z);
  };
}
