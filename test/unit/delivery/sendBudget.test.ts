import { describe, expect, it } from "vitest";
import { DELIVERY_DEFAULTS } from "../../../src/delivery/options.js";
import { budgetClassOf, replyPaceMs } from "../../../src/delivery/sendBudget.js";
import { Bucket, TELEGRAM_LIMITS } from "../../support/telegramEmulator.js";

describe("budgetClassOf", () => {
  it("counts new messages against the bot and the chat", () => {
    for (const method of ["sendMessage", "sendPhoto", "copyMessage", "forwardMessage", "sendMediaGroup"]) {
      expect(budgetClassOf(method), method).toBe("message");
    }
  });

  it("counts edits against the bot only", () => {
    for (const method of [
      "editMessageText",
      "editMessageCaption",
      "editMessageMedia",
      "editMessageReplyMarkup",
    ]) {
      expect(budgetClassOf(method), method).toBe("edit");
    }
  });

  it("leaves callback answers and everything that is not a message alone", () => {
    for (const method of [
      "answerCallbackQuery",
      "sendChatAction",
      "getUpdates",
      "getMe",
      "setMyCommands",
      "getChat",
    ]) {
      expect(budgetClassOf(method), method).toBe("free");
    }
  });
});

describe("replyPaceMs", () => {
  it("lets the answer after a burst arrive a little early and still find Telegram's allowance", () => {
    const { perChatBurst, perChatPerSecond } = TELEGRAM_LIMITS;
    const pace = replyPaceMs(DELIVERY_DEFAULTS.privatePaceMs);
    // The chat's allowance at the server, as the emulator keeps it: a burst, then 1 a second.
    const allowance = new Bucket(perChatBurst, perChatPerSecond / 1000);
    const t0 = performance.now();
    for (let i = 0; i < perChatBurst; i++) expect(allowance.take(t0)).toBe(0);
    // The schedule lets the next one go one pace after the burst (its theoretical time ≤ burst × pace);
    // 20 ms early is four standard deviations of the difference between two requests' way there.
    expect(allowance.take(t0 + pace - 20)).toBe(0);
    expect(allowance.take(t0 + 2 * pace - 20)).toBe(0);
  });
});
