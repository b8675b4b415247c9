import { describe, expect, it } from "vitest";
import { expectedRefusalsAsDone } from "../../../src/bot/expectedRefusals.js";

type Answer = { ok: boolean; result?: unknown; description?: string; error_code?: number };

/** Runs one call through the transformer, with Telegram's answer given. */
async function call(method: string, answer: Answer) {
  const transformer = expectedRefusalsAsDone();
  // biome-ignore lint/suspicious/noExplicitAny: the transformer's generic payload types are irrelevant here
  return transformer((async () => answer) as any, method as any, {} as any);
}

const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid";

describe("expectedRefusalsAsDone", () => {
  it("treats an edit to the same content as done", async () => {
    for (const method of [
      "editMessageText",
      "editMessageReplyMarkup",
      "editMessageCaption",
      "editMessageMedia",
    ]) {
      expect(await call(method, { ok: false, error_code: 400, description: NOT_MODIFIED })).toEqual({
        ok: true,
        result: true,
      });
    }
  });

  it("treats a second answer to a callback query as done", async () => {
    expect(await call("answerCallbackQuery", { ok: false, error_code: 400, description: TOO_OLD })).toEqual({
      ok: true,
      result: true,
    });
  });

  it("passes every other refusal and every success through unchanged", async () => {
    const notFound = { ok: false, error_code: 400, description: "Bad Request: message to edit not found" };
    expect(await call("editMessageText", notFound)).toBe(notFound);
    const sendRefused = { ok: false, error_code: 400, description: NOT_MODIFIED };
    expect(await call("sendMessage", sendRefused)).toBe(sendRefused);
    const ok = { ok: true, result: { message_id: 1 } };
    expect(await call("editMessageText", ok)).toBe(ok);
  });
});
