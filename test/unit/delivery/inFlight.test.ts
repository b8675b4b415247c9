import { describe, expect, it } from "vitest";
import {
  IN_FLIGHT_SPARE,
  InFlightControl,
  inFlightFor,
  LatencyWindow,
} from "../../../src/delivery/inFlight.js";
import { START_TOLERANCE_MS, StartSpacer } from "../../../src/delivery/startSpacer.js";

const bounds = { ratePerSecond: 1000, minInFlight: 2, maxInFlight: 512 };

describe("inFlightFor (Little's law)", () => {
  it("is rate × round trip with headroom, plus the spare sends", () => {
    // 1,000/s at 150 ms: 150 needed, 225 with the 1.5 headroom, 4 spare.
    expect(inFlightFor(150, bounds)).toBe(229);
    expect(inFlightFor(150, { ...bounds, ratePerSecond: 25 })).toBe(10);
    expect(inFlightFor(600, { ...bounds, ratePerSecond: 25 })).toBe(27);
  });

  it("stays within the bounds", () => {
    expect(inFlightFor(0, bounds)).toBe(IN_FLIGHT_SPARE);
    expect(inFlightFor(0, { ...bounds, maxInFlight: 2 })).toBe(2);
    expect(inFlightFor(5000, bounds)).toBe(512);
    expect(inFlightFor(-3, { ...bounds, minInFlight: 4 })).toBe(4);
  });
});

describe("LatencyWindow", () => {
  it("keeps the mean of the last `size` samples and ignores nonsense", () => {
    const window = new LatencyWindow(3);
    expect(window.mean()).toBeUndefined();
    for (const ms of [100, 200, 300]) window.add(ms);
    expect(window.mean()).toBe(200);
    window.add(600); // 100 drops out
    expect(window.mean()).toBeCloseTo(366.67, 1);
    window.add(Number.NaN);
    window.add(-5);
    expect(window.count).toBe(3);
    expect(window.mean()).toBeCloseTo(366.67, 1);
  });
});

describe("InFlightControl", () => {
  const control = (overrides = {}) =>
    new InFlightControl({ ...bounds, ratePerSecond: 25, initialLatencyMs: 500, ...overrides }, 50);

  it("starts from the initial round trip, without headroom, and no higher than the initial cap", () => {
    expect(control().limit).toBe(17);
    expect(control({ ratePerSecond: 1000, maxInitialInFlight: 64 }).limit).toBe(64);
  });

  it("raises to rate × round trip when the process is behind its schedule", () => {
    const c = control();
    for (let i = 0; i < 10; i++) {
      c.admitted(true);
      c.completed(1000);
    }
    expect(c.limit).toBe(inFlightFor(1000, { ...bounds, ratePerSecond: 25 }));
  });

  it("does not raise while sends wait for their slots: the rate is reached, the slowness is local", () => {
    const c = control();
    for (let i = 0; i < 50; i++) {
      c.admitted(false);
      c.completed(1000);
    }
    expect(c.limit).toBe(17);
  });

  it("cuts only once the window holds as many round trips as were in flight", () => {
    const c = control();
    for (let i = 0; i < 16; i++) expect(c.completed(100)).toBe(17);
    expect(c.completed(100)).toBe(inFlightFor(100, { ...bounds, ratePerSecond: 25 }));
  });

  it("follows a round trip that grows, then shrinks", () => {
    const c = control({ ratePerSecond: 1000, initialLatencyMs: 100 });
    for (let i = 0; i < 50; i++) {
      c.admitted(true);
      c.completed(300);
    }
    expect(c.limit).toBe(454);
    for (let i = 0; i < 50; i++) {
      c.admitted(false);
      c.completed(100);
    }
    expect(c.limit).toBe(154);
  });

  it("stays fixed when a concurrency is given", () => {
    const c = control({ fixed: 5 });
    for (let i = 0; i < 60; i++) {
      c.admitted(true);
      c.completed(2000);
    }
    expect(c.limit).toBe(5);
  });

  it("refuses bounds that cannot hold", () => {
    expect(() => control({ minInFlight: 0 })).toThrow(/1 ≤ min ≤ max/);
    expect(() => control({ minInFlight: 10, maxInFlight: 5 })).toThrow(/1 ≤ min ≤ max/);
  });
});

describe("StartSpacer", () => {
  it("spaces starts that wake together 1/rate apart, less the tolerance", () => {
    const spacer = new StartSpacer(10); // 100 ms apart
    const waits = Array.from({ length: 5 }, () => spacer.reserve(1000));
    const slack = START_TOLERANCE_MS;
    expect(waits).toEqual([0, 100 - slack, 200 - slack, 300 - slack, 400 - slack]);
    expect(spacer.reserve(1600)).toBe(0);
  });

  it("lets a start after a late one catch up, so timer jitter costs no rate", () => {
    const spacer = new StartSpacer(10); // 100 ms apart
    spacer.reserve(0);
    spacer.reserve(100);
    // Due at 200, ran at 201: the next may still go at 299, less than an interval later (up to START_TOLERANCE_MS).
    expect(spacer.reserve(201)).toBe(0);
    expect(spacer.reserve(299)).toBe(0);
    // The slack is spent: one more right away waits.
    expect(spacer.reserve(300)).toBeGreaterThan(0);
  });

  it("never lets 31 starts into one second at 30/s less the arrival margin, however late timers fire", () => {
    const spacer = new StartSpacer(29.25);
    const starts: number[] = [];
    let now = 0;
    for (let i = 0; i < 3000; i++) {
      // As the worker does: reserve when the slot's timer fires, sleep the spacing (a timer that
      // fires late, by up to 30 ms now and then), tell the spacer when the start really was.
      const wait = spacer.reserve(now);
      const start = now + wait + (wait > 0 && i % 7 === 0 ? 30 : 0);
      if (wait > 0) spacer.started(start);
      starts.push(start);
      // The next send's slot timer fires 0–2 ms late, or as late as 30 ms, after this start.
      now = start + (i % 3) + (i % 11 === 0 ? 30 : 0);
    }
    let max = 0;
    for (let s = 0, e = 0; e < starts.length; e++) {
      while ((starts[e] as number) - (starts[s] as number) >= 1000) s++;
      max = Math.max(max, e - s + 1);
    }
    expect(max).toBeLessThanOrEqual(30);
  });

  it("never lets a second hold more than the rate plus two, however the wakes bunch", () => {
    const spacer = new StartSpacer(25);
    const starts: number[] = [];
    // 100 sends waking in 10 bunches of 10 at random-ish times.
    for (let bunch = 0; bunch < 10; bunch++) {
      const now = bunch * 370;
      for (let i = 0; i < 10; i++) starts.push(now + spacer.reserve(now));
    }
    starts.sort((a, b) => a - b);
    let max = 0;
    for (let s = 0, e = 0; e < starts.length; e++) {
      while ((starts[e] as number) - (starts[s] as number) >= 1000) s++;
      max = Math.max(max, e - s + 1);
    }
    expect(max).toBeLessThanOrEqual(27);
  });
});
