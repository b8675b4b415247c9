/**
 * The pieces the delivery worker is built from, each on its own: the send gate, the coalescing
 * ledger writer, the admission script (against a real Redis) and the story batches the fan-out
 * queues.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerWriter } from "../../../src/delivery/ledgerWriter.js";
import {
  DeliveryQueue,
  expandStoryBatch,
  STORY_BATCH_MAX,
  type StoryBatchJob,
  storyBatchJobSchema,
  storyRef,
} from "../../../src/delivery/queue.js";
import {
  ARRIVAL_MARGIN,
  SendAdmission,
  scheduledRate,
  slotIntervalUs,
} from "../../../src/delivery/sendAdmission.js";
import { SendGate } from "../../../src/delivery/sendGate.js";
import { redisKeys } from "../../../src/storage/keys.js";
import type { Redis } from "../../../src/storage/redis.js";
import { SubscriptionStore } from "../../../src/storage/subscriptions.js";
import { type TestRedis, useTestRedis } from "../../support/redis.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("SendGate", () => {
  it("never runs more than its limit at once, and serves waiters first come, first served", async () => {
    const gate = new SendGate(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const runs = Array.from({ length: 10 }, (_, i) =>
      gate.run(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1, 2]);
    while (started.length < 10 || releases.length > 0) {
      releases.shift()?.();
      await tick();
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
  });

  it("frees the slot when the work throws", async () => {
    const gate = new SendGate(1);
    await expect(gate.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "next")).toBe("next");
  });

  it("refuses a limit below 1", () => {
    expect(() => new SendGate(0)).toThrow(/≥ 1/);
  });

  it("follows a limit changed while work runs: a raise lets waiters in, a cut waits for running work", async () => {
    const gate = new SendGate(2);
    const releases: Array<() => void> = [];
    let peak = 0;
    const runs = Array.from({ length: 8 }, () =>
      gate.run(async () => {
        peak = Math.max(peak, gate.running);
        await new Promise<void>((resolve) => releases.push(resolve));
      }),
    );
    await tick();
    expect(gate.running).toBe(2);
    gate.limit = 5;
    await tick();
    expect(gate.running).toBe(5);
    gate.limit = 1;
    for (let i = 0; i < 4; i++) {
      releases.shift()?.();
      await tick();
    }
    // Four finished: the running count fell to the new limit before anyone else started.
    expect(gate.running).toBe(1);
    while (releases.length > 0) {
      releases.shift()?.();
      await tick();
      expect(gate.running).toBeLessThanOrEqual(1);
    }
    await Promise.all(runs);
    expect(peak).toBe(5);
    expect(() => {
      gate.limit = 0;
    }).toThrow(/≥ 1/);
  });
});

describe("LedgerWriter", () => {
  const counter = { key: "stats", field: "sent", ttlMs: 1000 };

  it("coalesces records made while a write is in flight into the next write", async () => {
    const writes: Array<Array<{ ref: string; chatIds: readonly number[] }>> = [];
    let finishWrite: (() => void) | undefined;
    const writer = new LedgerWriter(
      async (entries) => {
        writes.push([...entries]);
        await new Promise<void>((resolve) => {
          finishWrite = resolve;
        });
      },
      () => counter,
    );

    const first = writer.record("story:a", [1]);
    const rest = [
      writer.record("story:a", [2]),
      writer.record("story:b", [3, 4]),
      writer.record("story:a", [5]),
    ];
    expect(writes).toHaveLength(1); // the first write is out; the others wait for it
    finishWrite?.();
    await first;
    await tick();
    expect(writes).toHaveLength(2);
    expect(writes[1]?.map((e) => [e.ref, e.chatIds])).toEqual([
      ["story:a", [2]],
      ["story:b", [3, 4]],
      ["story:a", [5]],
    ]);
    finishWrite?.();
    await Promise.all(rest);
  });

  it("rejects the records of a failed write, and writes the next ones afresh", async () => {
    let fail = true;
    const written: number[] = [];
    const writer = new LedgerWriter(
      async (entries) => {
        if (fail) throw new Error("redis away");
        for (const e of entries) written.push(...e.chatIds);
      },
      () => counter,
    );
    await expect(writer.record("r", [1])).rejects.toThrow("redis away");
    fail = false;
    await writer.record("r", [2]);
    expect(written).toEqual([2]);
  });
});

describe("slotIntervalUs", () => {
  it("spaces sends at the rate, rounding up so the rate is never exceeded", () => {
    expect(slotIntervalUs(25)).toBe(40_000);
    expect(slotIntervalUs(3)).toBe(333_334);
    expect(slotIntervalUs(1000)).toBe(1000);
    expect(slotIntervalUs(10_000_000)).toBe(1);
  });
});

describe("scheduledRate", () => {
  it("keeps a margin below Telegram's limit a schedule is set at or near, and nowhere else", () => {
    expect(ARRIVAL_MARGIN).toBe(0.025);
    expect(scheduledRate(25)).toBe(25);
    expect(scheduledRate(29.25)).toBe(29.25);
    expect(scheduledRate(30)).toBeCloseTo(29.25, 9);
    expect(scheduledRate(500)).toBe(500);
    expect(scheduledRate(990)).toBeCloseTo(975, 9);
    expect(scheduledRate(1000)).toBeCloseTo(975, 9);
    expect(scheduledRate(100_000)).toBe(100_000);
  });
});

describe("against Redis", () => {
  let redis: TestRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await useTestRedis();
    client = redis.client as unknown as Redis;
  });
  afterAll(async () => {
    await redis.close();
  });

  describe("SendAdmission", () => {
    it("spaces admissions along one schedule at the configured rate", async () => {
      const k = redisKeys(`${redis.prefix}:spacing`);
      const admission = new SendAdmission({ redis: client, keys: k, ratePerSecond: 10 });
      const waits: number[] = [];
      const nextSlots: number[] = [];
      for (let chat = 1; chat <= 10; chat++) {
        const a = await admission.admit("story.x", chat, 1000);
        if (a.verdict !== "send") throw new Error(`chat ${chat}: ${a.verdict}`);
        waits.push(a.waitMs);
        nextSlots.push(Number(await client.get(k.deliverySchedule)));
      }
      // Each admission moves the next free slot by exactly 100 ms (10 calls take far less than that).
      for (let i = 1; i < nextSlots.length; i++) {
        expect((nextSlots[i] as number) - (nextSlots[i - 1] as number)).toBe(100_000);
      }
      expect(waits[0]).toBeLessThan(1);
      for (let i = 1; i < waits.length; i++) {
        const gap = (waits[i] as number) - (waits[i - 1] as number);
        expect(gap).toBeGreaterThan(0);
        expect(gap).toBeLessThanOrEqual(100);
      }
      expect(waits[9]).toBeGreaterThan(700);
      expect(waits[9]).toBeLessThanOrEqual(900);
    });

    it("skips a chat the ledger has, without taking its pace slot or a global slot", async () => {
      const k = redisKeys(`${redis.prefix}:ledger`);
      const queue = new DeliveryQueue({ connection: client, redis: client, keys: k });
      await queue.markSent("story:s1", [42]);
      const admission = new SendAdmission({ redis: client, keys: k, ratePerSecond: 1 });
      expect(await admission.admit("story.s1", 42, 1000)).toEqual({ verdict: "duplicate" });
      expect(await client.exists(k.deliveryPace(42))).toBe(0);
      expect(await client.exists(k.deliverySchedule)).toBe(0);
      await queue.close();
    });

    it("paces one chat from its send: the gap starts at the chat's global slot", async () => {
      const admission = new SendAdmission({
        redis: client,
        keys: redisKeys(`${redis.prefix}:pace`),
        ratePerSecond: 2,
      });
      const first = await admission.admit("story.p", 1, 1000);
      const second = await admission.admit("story.p", 2, 1000); // waits ~500 ms for its slot
      const again = await admission.admit("story.q", 2, 1000);
      expect(first).toMatchObject({ verdict: "send" });
      expect(second.verdict).toBe("send");
      const wait = second.verdict === "send" ? second.waitMs : 0;
      expect(wait).toBeGreaterThan(400);
      expect(again.verdict).toBe("paced");
      // Free 1 s after chat 2's send, which is ~500 ms away.
      expect(again.verdict === "paced" ? again.delayMs : 0).toBeGreaterThan(1400);
    });

    it("pause() holds every later admission back for that long, and never moves the schedule back", async () => {
      const k = redisKeys(`${redis.prefix}:pause`);
      const admission = new SendAdmission({ redis: client, keys: k, ratePerSecond: 1000 });
      await admission.pause(800);
      await admission.pause(100);
      const a = await admission.admit("story.z", 7, 1000);
      expect(a.verdict).toBe("send");
      expect(a.verdict === "send" ? a.waitMs : 0).toBeGreaterThan(700);
    });

    it("a delivery books no further ahead than its horizon; a reply books the next slot however far", async () => {
      const k = redisKeys(`${redis.prefix}:horizon`);
      const admission = new SendAdmission({ redis: client, keys: k, ratePerSecond: 10 });
      // Three replies book 300 ms of the schedule.
      for (let chat = 1; chat <= 3; chat++) {
        expect(await admission.admitReply(chat, 1000, 2000)).toMatchObject({ verdict: "send" });
      }
      const busy = await admission.admit("story.h", 9, 1000, { horizonMs: 150 });
      expect(busy.verdict).toBe("busy");
      // Booked to ~300 ms, the delivery may book at 150 ms ahead: ask again in ~150 ms.
      expect(busy.verdict === "busy" ? busy.retryMs : 0).toBeGreaterThan(100);
      expect(busy.verdict === "busy" ? busy.retryMs : 0).toBeLessThanOrEqual(150);
      // Nothing was booked for it: neither its chat's pace nor a slot.
      expect(await client.exists(k.deliveryPace(9))).toBe(0);
      const reply = await admission.admitReply(4, 1000, 2000);
      expect(reply.verdict === "send" ? reply.waitMs : 0).toBeGreaterThan(250);
      // Without a horizon (as before), a delivery books behind them.
      expect(await admission.admit("story.h", 9, 1000)).toMatchObject({ verdict: "send" });
    });

    it("a chat's replies go in a burst of three, then one a second; a delivery waits for the chat", async () => {
      const k = redisKeys(`${redis.prefix}:burst`);
      const admission = new SendAdmission({ redis: client, keys: k, ratePerSecond: 1000 });
      const verdicts = [];
      for (let i = 0; i < 4; i++) verdicts.push(await admission.admitReply(5, 1000, 2000));
      expect(verdicts.slice(0, 3).map((v) => v.verdict)).toEqual(["send", "send", "send"]);
      expect(verdicts[3]?.verdict).toBe("paced");
      const delay = verdicts[3]?.verdict === "paced" ? verdicts[3].delayMs : 0;
      expect(delay).toBeGreaterThan(900);
      expect(delay).toBeLessThanOrEqual(1000);
      const delivery = await admission.admit("story.b", 5, 1000);
      expect(delivery.verdict).toBe("paced");
      expect(delivery.verdict === "paced" ? delivery.delayMs : 0).toBeGreaterThan(2900);
    });

    it("takeSlot() books the shared schedule without touching any chat", async () => {
      const k = redisKeys(`${redis.prefix}:slot`);
      const admission = new SendAdmission({ redis: client, keys: k, ratePerSecond: 4 });
      expect(await admission.takeSlot()).toBeLessThan(1);
      const second = await admission.takeSlot();
      expect(second).toBeGreaterThan(200);
      expect(second).toBeLessThanOrEqual(250);
      expect(await client.keys(`${k.deliveryPace(0).replace(/0$/, "")}*`)).toEqual([]);
    });
  });

  describe("the fan-out walk", () => {
    it("reads every active subscriber's profile, and skips missing, paused and corrupt ones", async () => {
      const k = redisKeys(`${redis.prefix}:walk`);
      const logger = { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} };
      const store = new SubscriptionStore(client, k, logger as never);
      const good = Array.from({ length: 1200 }, (_, i) => 6_000_000 + i);
      for (const chatId of good) {
        await store.subscribe(chatId, {
          kind: "private",
          language: "kk",
          topics: ["water"],
          rates: chatId % 2 === 0,
        });
      }
      await store.subscribe(-6_000_001, { kind: "group", language: "uz", topics: ["trade"], rates: false });
      // The index says active, the profile disagrees or is gone.
      await client.sadd(k.subscribers, 6_100_000, 6_100_001, 6_100_002);
      await client.hset(k.profile(6_100_001), { lang: "xx", t: "1", s: "active" });
      await client.hset(k.profile(6_100_002), { lang: "ru", t: "many", s: "active" });

      const seen = [];
      for await (const batch of store.activeRecipients(500)) seen.push(...batch);
      expect(seen).toHaveLength(1201);
      expect(new Set(seen.map((r) => r.chatId)).size).toBe(1201);
      const group = seen.find((r) => r.chatId === -6_000_001);
      expect(group).toMatchObject({ language: "uz", rates: false });
      const one = seen.find((r) => r.chatId === 6_000_000);
      expect(one).toMatchObject({ language: "kk", rates: true, ratesTime: "09:00" });
      expect(one?.topicMask).toBeGreaterThan(0);
    });
  });

  describe("story batches", () => {
    it("splits recipients into batches, leaves out chats the ledger has, and keeps the batch ids stable", async () => {
      const k = redisKeys(`${redis.prefix}:batches`);
      const queue = new DeliveryQueue({ connection: client, redis: client, keys: k });
      const recipients = Array.from({ length: 250 }, (_, i) => ({
        chatId: 5_000_000 + i,
        language: (i % 2 === 0 ? "ru" : "uz") as "ru" | "uz",
      }));
      await queue.markSent(storyRef("s-batch"), [5_000_000, 5_000_120]);

      expect(await queue.enqueueStories("s-batch", recipients)).toEqual({ submitted: 248, alreadySent: 2 });
      const jobs = await queue.queue.getJobs(["waiting"]);
      const batches = jobs
        .map((j) => storyBatchJobSchema.parse(j.data))
        .sort((a, b) => (a.chats[0]?.[0] ?? 0) - (b.chats[0]?.[0] ?? 0));
      expect(batches.map((b) => b.chats.length)).toEqual([99, 99, 50]);
      expect(batches[0]?.chats[0]).toEqual([5_000_001, "uz"]);
      const chats = batches.flatMap((b) => expandStoryBatch(b).map((s) => s.chatId));
      expect(new Set(chats).size).toBe(248);

      // The same walk again (a crash before the fan-out was marked done) adds nothing new.
      await queue.enqueueStories("s-batch", recipients);
      expect(await queue.queue.getJobCountByTypes("waiting")).toBe(3);
      await queue.close();
    });

    it("rejects a batch payload that is empty, too big or carries a bad chat", () => {
      const ok: StoryBatchJob = { kind: "stories", storyId: "s", chats: [[1, "en"]] };
      expect(storyBatchJobSchema.safeParse(ok).success).toBe(true);
      expect(storyBatchJobSchema.safeParse({ ...ok, chats: [] }).success).toBe(false);
      const tooMany = Array.from({ length: STORY_BATCH_MAX + 1 }, (_, i) => [i + 1, "en"]);
      expect(storyBatchJobSchema.safeParse({ ...ok, chats: tooMany }).success).toBe(false);
      expect(storyBatchJobSchema.safeParse({ ...ok, chats: [[1.5, "en"]] }).success).toBe(false);
      expect(storyBatchJobSchema.safeParse({ ...ok, chats: [[1, "de"]] }).success).toBe(false);
    });
  });
});
