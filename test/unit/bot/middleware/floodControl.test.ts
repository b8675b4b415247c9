import { describe, expect, it } from "vitest";
import { floodVerdict, repeatableCommand } from "../../../../src/bot/middleware/floodControl.js";

describe("floodVerdict", () => {
  it("handles the burst, gives one notice, then suppresses", () => {
    const verdicts = Array.from({ length: 9 }, (_, i) => floodVerdict(i + 1, 5));
    expect(verdicts).toEqual([
      "handle",
      "handle",
      "handle",
      "handle",
      "handle",
      "notice",
      "suppress",
      "suppress",
      "suppress",
    ]);
  });

  it("with a burst of one, the second update is the notice", () => {
    expect([1, 2, 3].map((n) => floodVerdict(n, 1))).toEqual(["handle", "notice", "suppress"]);
  });
});

describe("repeatableCommand", () => {
  const message = (
    text: string,
    entities = [{ type: "bot_command" as const, offset: 0, length: text.length }],
  ) => ({
    message: { text, entities } as never,
  });

  it("keys a message that is one whole command by chat and text, ignoring case", () => {
    expect(repeatableCommand(message("/Rates"), 7)).toBe("7\n/rates");
    expect(repeatableCommand(message("/latest@kzuz_news_bot"), -100)).toBe("-100\n/latest@kzuz_news_bot");
  });

  it("leaves commands with arguments, plain text and other updates alone", () => {
    expect(
      repeatableCommand(message("/rates week", [{ type: "bot_command", offset: 0, length: 6 }]), 7),
    ).toBeUndefined();
    expect(repeatableCommand(message("rates", []), 7)).toBeUndefined();
    expect(repeatableCommand({ message: undefined }, 7)).toBeUndefined();
  });
});
