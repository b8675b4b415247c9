import { describe, expect, it } from "vitest";
import { budgetClassOf } from "../../../src/delivery/sendBudget.js";

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
