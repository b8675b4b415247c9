/**
 * The admission script with paid broadcasts on (PAID_BROADCAST): a free schedule beside the
 * global one, against a real Redis. Everything keeps to the free rate, except a paid broadcast's
 * message when no free slot is open, which is admitted at once, flagged to go paid.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Admission, SendAdmission } from "../../../src/delivery/sendAdmission.js";
import { redisKeys } from "../../../src/storage/keys.js";
import type { Redis } from "../../../src/storage/redis.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";

const sendOf = (a: Admission) => {
  if (a.verdict !== "send") throw new Error(`expected send, got ${a.verdict}`);
  return a;
};

describe("SendAdmission with paid broadcasts", () => {
  let redis: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await useTestRedis();
    client = redis.client as unknown as Redis;
  });
  afterAll(async () => {
    await redis.close();
  });

  it("a paid broadcast takes the free slots that are open and goes flagged for the rest", async () => {
    const keys = redisKeys(`${redis.prefix}:mix`);
    // 1,000/s bot-wide, 10/s free: of 50 chats admitted in a burst, the free slot at once is used
    // unflagged, the rest go flagged right behind each other on the global schedule.
    const admission = new SendAdmission({ redis: client, keys, ratePerSecond: 1000, freeRatePerSecond: 10 });
    const admitted = [];
    for (let chat = 1; chat <= 50; chat++)
      admitted.push(sendOf(await admission.admit("broadcast.1", chat, 1000, { paid: true })));
    const unflagged = admitted.filter((a) => !a.paid);
    expect(unflagged.length).toBeGreaterThanOrEqual(1);
    expect(unflagged.length).toBeLessThanOrEqual(2);
    expect(admitted.filter((a) => a.paid)).toHaveLength(50 - unflagged.length);
    // 50 global slots at 1 ms: nothing waits long; no message waits for the free rate.
    expect(Math.max(...admitted.map((a) => a.waitMs))).toBeLessThan(60);
  });

  it("everything else keeps to the free schedule, and a free slot too far ahead is not booked", async () => {
    const keys = redisKeys(`${redis.prefix}:free`);
    const admission = new SendAdmission({ redis: client, keys, ratePerSecond: 1000, freeRatePerSecond: 10 });
    const waits: number[] = [];
    let deferred: Admission | undefined;
    for (let chat = 1; chat <= 40; chat++) {
      const a = await admission.admit("story.s", chat, 1000, { horizonMs: 2000 });
      if (a.verdict === "send") {
        expect(a.paid).toBe(false);
        waits.push(a.waitMs);
      } else {
        deferred = a;
        break;
      }
    }
    // 100 ms apart at 10/s, up to the 2 s horizon this sender may book: ~21 admitted, then deferred.
    expect(waits.length).toBeGreaterThanOrEqual(19);
    expect(waits.length).toBeLessThanOrEqual(22);
    for (let i = 1; i < waits.length; i++)
      expect((waits[i] as number) - (waits[i - 1] as number)).toBeGreaterThan(90);
    expect(deferred).toMatchObject({ verdict: "busy" });
    const nextFree = Number(await client.get(keys.deliveryFreeSchedule));
    // Refused ones booked nothing: the free schedule ends right after the last admitted one.
    const again = await admission.admit("story.s", 999, 1000, { horizonMs: 2000 });
    expect(again.verdict).toBe("busy");
    expect(Number(await client.get(keys.deliveryFreeSchedule))).toBe(nextFree);
  });

  it("once a ref is marked unpaid (no Stars), its messages keep to the free rate too", async () => {
    const keys = redisKeys(`${redis.prefix}:unpaid`);
    const admission = new SendAdmission({ redis: client, keys, ratePerSecond: 1000, freeRatePerSecond: 10 });
    await admission.markUnpaid("broadcast.2", 60_000);
    const admitted = [];
    for (let chat = 1; chat <= 5; chat++)
      admitted.push(sendOf(await admission.admit("broadcast.2", chat, 1000, { paid: true })));
    expect(admitted.every((a) => !a.paid)).toBe(true);
    expect((admitted[4] as { waitMs: number }).waitMs).toBeGreaterThan(350);
    // Another paid broadcast still pays.
    expect(sendOf(await admission.admit("broadcast.3", 77, 1000, { paid: true })).paid).toBe(true);
  });

  it("replies and edits are never paid: they wait for a free slot too, however far", async () => {
    const keys = redisKeys(`${redis.prefix}:reply`);
    const admission = new SendAdmission({ redis: client, keys, ratePerSecond: 1000, freeRatePerSecond: 10 });
    const waits: number[] = [];
    for (let chat = 1; chat <= 5; chat++) {
      const a = await admission.admitReply(chat, 1000, 3000);
      if (a.verdict !== "send") throw new Error(`expected send, got ${a.verdict}`);
      expect(a).not.toHaveProperty("paid");
      waits.push(a.waitMs);
    }
    waits.push(await admission.takeSlot());
    // At 10/s free, six calls span ~500 ms, not the 5 ms of the 1,000/s global schedule.
    for (let i = 1; i < waits.length; i++)
      expect((waits[i] as number) - (waits[i - 1] as number)).toBeGreaterThan(90);
    // A paid broadcast's message meanwhile finds no free slot open and goes paid, at once.
    const paid = sendOf(await admission.admit("broadcast.5", 99, 1000, { paid: true }));
    expect(paid).toMatchObject({ paid: true });
    expect(paid.waitMs).toBeLessThan(50);
  });

  it("without paid broadcasts nothing is ever flagged, paid job or not", async () => {
    const keys = redisKeys(`${redis.prefix}:off`);
    const admission = new SendAdmission({ redis: client, keys, ratePerSecond: 100 });
    for (let chat = 1; chat <= 20; chat++) {
      expect(sendOf(await admission.admit("broadcast.4", chat, 1000, { paid: true })).paid).toBe(false);
    }
    expect(await client.exists(keys.deliveryFreeSchedule)).toBe(0);
  });
});
