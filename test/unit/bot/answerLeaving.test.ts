import { describe, expect, it } from "vitest";
import { markAnswerLeaving, whenAnswerLeaves } from "../../../src/bot/answerLeaving.js";

describe("whenAnswerLeaves", () => {
  const marker = markAnswerLeaving();
  const prev = (async () => ({ ok: true, result: true })) as never;
  const call = (method: string) => marker(prev, method as never, {} as never);

  it("tells once, at the first message sent from within the handling, not at a chat action", async () => {
    const told: string[] = [];
    await whenAnswerLeaves(
      () => told.push("left"),
      async () => {
        await call("sendChatAction");
        expect(told).toEqual([]);
        await new Promise((r) => setTimeout(r, 5));
        await call("sendPhoto");
        await call("sendMessage");
      },
    );
    expect(told).toEqual(["left"]);
  });

  it("takes an edit or a button press's answer for an answer too, and nothing else", async () => {
    for (const method of [
      "editMessageText",
      "editMessageReplyMarkup",
      "answerCallbackQuery",
      "copyMessage",
    ]) {
      let told = 0;
      await whenAnswerLeaves(
        () => told++,
        () => call(method),
      );
      expect(told, method).toBe(1);
    }
    let told = 0;
    await whenAnswerLeaves(
      () => told++,
      async () => {
        for (const method of ["sendChatAction", "getChat", "getChatMember", "setMyCommands"])
          await call(method);
      },
    );
    expect(told).toBe(0);
  });

  it("tells nothing for calls made outside, or by another handling", async () => {
    const told: string[] = [];
    const other = whenAnswerLeaves(
      () => told.push("other"),
      async () => {},
    );
    await call("sendMessage");
    await whenAnswerLeaves(
      () => told.push("mine"),
      async () => call("sendMessage"),
    );
    await other;
    expect(told).toEqual(["mine"]);
  });
});
