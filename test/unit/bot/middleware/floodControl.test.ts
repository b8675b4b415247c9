import { describe, expect, it } from "vitest";
import { floodVerdict } from "../../../../src/bot/middleware/floodControl.js";

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
