/**
 * How slow Telegram is: a seeded latency model for benchmarks. A request's round trip has two
 * legs. The way to the server is the network one way, a few tens of milliseconds that vary little
 * between requests from one host; limits are counted when it ends, on arrival. The rest is
 * Telegram's own work and the way back, where the long tail and the multi-second stalls are: a
 * slow answer does not make a request arrive late. Each leg is lognormal, so the round trip keeps
 * its median of about 150 ms and p99 of about 1 s.
 *
 * The earlier model put half of every round trip before arrival, so arrivals jittered as much as
 * whole round trips (p99 ≈ 500 ms one way) and no sender could keep every one-second window at
 * the server under 30 at 30/s. `inbound: "half"` keeps it, to compare figures under both.
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
  /**
   * The leg before arrival at the server: its median and p99 in ms, taken out of the round trip's
   * (the rest of the round trip is drawn for the leg after). "half": half of each round trip on
   * either side (the earlier model). @defaultValue a quarter of the median, p99 a fifth above it
   */
  inbound?: { medianMs: number; p99Ms: number } | "half";
};

/** One request's two legs, in ms: to the server (then limits are counted), and the rest. */
export type Legs = { inboundMs: number; outboundMs: number };

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

/** Returns a sampler of both legs of each request; the same seed gives the same sequence. */
export function legSampler(options: LatencyOptions): () => Legs {
  const random = seededRandom(options.seed ?? 1);
  const [stallMin, stallMax] = options.stallMs ?? [2000, 5000];
  const stallProbability = options.stallProbability ?? 0;
  const stall = () => stallMin + random() * (stallMax - stallMin);
  if (options.inbound === "half") {
    const roundTrip = lognormal(random, options.medianMs, options.p99Ms);
    return () => {
      const ms = random() < stallProbability ? stall() : roundTrip();
      return { inboundMs: ms / 2, outboundMs: ms / 2 };
    };
  }
  const inbound = options.inbound ?? { medianMs: options.medianMs / 4, p99Ms: (options.medianMs / 4) * 1.2 };
  const toServer = lognormal(random, inbound.medianMs, inbound.p99Ms);
  const rest = lognormal(
    random,
    Math.max(0, options.medianMs - inbound.medianMs),
    Math.max(0, options.p99Ms - inbound.p99Ms),
  );
  return () => {
    const inboundMs = toServer();
    return { inboundMs, outboundMs: random() < stallProbability ? stall() : rest() };
  };
}

/** Returns a sampler of whole round trips in ms (both legs); the same seed gives the same sequence. */
export function latencySampler(options: LatencyOptions): () => number {
  const legs = legSampler(options);
  return () => {
    const { inboundMs, outboundMs } = legs();
    return inboundMs + outboundMs;
  };
}

/** A lognormal sampler by median and p99 (a p99 at or below the median gives the median always). */
function lognormal(random: () => number, medianMs: number, p99Ms: number): () => number {
  if (medianMs <= 0) return () => 0;
  const mu = Math.log(medianMs);
  const sigma = Math.max(0, Math.log(p99Ms / medianMs) / Z99);
  return () => {
    // Box–Muller: one standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.exp(mu + sigma * z);
  };
}
