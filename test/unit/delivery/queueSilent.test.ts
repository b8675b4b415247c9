import { describe, expect, it } from "vitest";
import { expandStoryBatch, queuedJobSchema, storyBatchJobSchema } from "../../../src/delivery/queue.js";

describe("the silent flag of story jobs", () => {
  it("old payloads without it still parse, and send with sound", () => {
    const single = queuedJobSchema.parse({ kind: "story", storyId: "s1", chatId: 5, language: "ru" });
    expect(single).not.toHaveProperty("silent");
    const batch = storyBatchJobSchema.parse({ kind: "stories", storyId: "s1", chats: [[5, "ru"]] });
    expect(expandStoryBatch(batch)).toEqual([{ kind: "story", storyId: "s1", chatId: 5, language: "ru" }]);
  });

  it("a silent batch makes every chat's job silent, a forum topic's too", () => {
    const batch = storyBatchJobSchema.parse({
      kind: "stories",
      storyId: "s1",
      chats: [
        [5, "ru"],
        [-1001, "en", 7],
      ],
      silent: true,
    });
    const singles = expandStoryBatch(batch);
    expect(singles.map((s) => s.silent)).toEqual([true, true]);
    expect(singles[1]).toMatchObject({ chatId: -1001, threadId: 7, silent: true });
    // Each expanded job is a valid payload of its own (a hand-over or a dead letter keeps the flag).
    for (const s of singles) expect(queuedJobSchema.parse(s)).toEqual(s);
  });

  it("accepts only true: a forged or mistaken value is refused, not read as loud or silent", () => {
    for (const silent of [false, "true", 1, null])
      expect(
        queuedJobSchema.safeParse({ kind: "story", storyId: "s1", chatId: 5, language: "ru", silent })
          .success,
      ).toBe(false);
  });
});
