import { describe, expect, it } from "vitest";
import { TOPIC_IDS } from "../../../src/news/topicIds.js";
import { maskToTopics, topicsToMask } from "../../../src/storage/subscriptions.js";

// The order below is the bit order of every topic mask stored in Redis. A new topic goes at the
// end of TOPIC_IDS and of this list; never change the positions that are here.
const STORED_ORDER = (
  "diplomacy trade industry energy transport agriculture water tourism culture education " +
  "security digital finance health migration other"
).split(" ");

describe("TOPIC_IDS", () => {
  it("keeps every stored topic at its bit (append only)", () => {
    expect(TOPIC_IDS.slice(0, STORED_ORDER.length)).toEqual(STORED_ORDER);
  });

  it("reads a mask stored today as the same topics", () => {
    // energy = bit 3, water = bit 6, other = bit 15
    expect(maskToTopics((1 << 3) | (1 << 6) | (1 << 15))).toEqual(["energy", "water", "other"]);
    expect(topicsToMask(["diplomacy", "migration"])).toBe(1 | (1 << 14));
  });
});
