import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotHarness } from "../support/botHarness.js";
import { type BotProcess, spawnBot } from "../support/botProcess.js";

/** Two bot processes with the same configuration on one Redis, as a scaled-out deployment. */
describe("two instances on one Redis", () => {
  let h: BotHarness;
  let second: BotProcess;

  beforeAll(async () => {
    h = await BotHarness.start();
    second = spawnBot(h.env());
    await h.telegram.waitFor(
      () => second.output().stdout.includes("standing by"),
      20_000,
      "the second instance to stand by",
    );
  });
  afterAll(async () => {
    await second?.stop();
    await h?.close();
  });

  it("polls from one instance only: no 409 conflicts, every update answered once", async () => {
    const users = [6001, 6002, 6003].map((id) => h.telegram.user(id, { languageCode: "en" }));
    for (const user of users) {
      for (const text of ["/start", "/help", "/language"]) await user.ask(text);
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const user of users) expect(user.messages()).toHaveLength(3);
    expect(h.telegram.conflicts).toBe(0);
  });

  it("hands polling over when the polling instance stops, and the dialogue goes on", async () => {
    const user = h.telegram.user(6004, { languageCode: "en" });
    const dialogue = await user.ask("/subscribe");
    await user.waitForAnswer(user.press(/Trade/, dialogue));

    // The first instance leaves (a deploy); the standing-by one takes over.
    await h.bot?.stop();
    await h.telegram.waitFor(
      () => second.output().stdout.includes("polling for updates"),
      20_000,
      "the second instance to take over",
    );

    await user.waitForAnswer(user.press(/Done/, dialogue), 20_000);
    await h.telegram.waitFor(() => /Step 2 of 3/.test(dialogue.text ?? ""), 10_000, "step 2");
    await user.waitForAnswer(user.press("No", dialogue));
    await h.telegram.waitFor(() => /Step 3 of 3/.test(dialogue.text ?? ""), 10_000, "step 3");
    await user.waitForAnswer(user.press(/Confirm/, dialogue));
    await h.telegram.waitFor(() => /subscribed/.test(dialogue.text ?? ""), 10_000, "confirmation");
    expect(await h.redis.client.sismember(`${h.redis.prefix}:subscribers`, 6004)).toBe(1);
    expect(h.telegram.conflicts).toBe(0);
  });
});
