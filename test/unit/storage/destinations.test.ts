import { describe, expect, it } from "vitest";
import { destinationKey, parseDestinationKey, toDestination } from "../../../src/storage/destinations.js";

describe("destination keys", () => {
  it("a chat's key is its id, as stored before topics; a topic's is chat:thread", () => {
    expect(destinationKey(-1001234567890)).toBe("-1001234567890");
    expect(destinationKey({ chatId: 42 })).toBe("42");
    expect(destinationKey({ chatId: -1001234567890, threadId: 17 })).toBe("-1001234567890:17");
  });

  it("round-trips, and reads every key an older version stored", () => {
    for (const d of [{ chatId: 5 }, { chatId: -100123 }, { chatId: -1009999999999, threadId: 1 }]) {
      expect(parseDestinationKey(destinationKey(d))).toEqual(d);
    }
    expect(parseDestinationKey("123456")).toEqual({ chatId: 123456 });
  });

  it.each(["", "abc", "12:", ":5", "12:0", "12:-3", "1.5", "12:3:4", "99999999999999999999"])(
    "rejects %j",
    (key) => {
      expect(parseDestinationKey(key)).toBeUndefined();
    },
  );

  it("a chat id alone is a destination without a thread, with the same key", () => {
    expect(toDestination(7)).toEqual({ chatId: 7 });
    expect(destinationKey(toDestination(7))).toBe(destinationKey(7));
    expect(destinationKey({ chatId: 7, threadId: 2 })).not.toBe(destinationKey(7));
  });
});
