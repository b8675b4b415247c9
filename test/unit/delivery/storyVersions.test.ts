import { describe, expect, it } from "vitest";
import { parseVersionDeliveryId, versionDeliveryId } from "../../../src/delivery/storyVersions.js";

describe("telling delivery ids", () => {
  it("name a telling by story id and language, and the story's own telling by its id", () => {
    const story = { id: "https://a.test/x?id=1", language: "ru" as const };
    expect(versionDeliveryId(story, "ru")).toBe(story.id);
    const id = versionDeliveryId(story, "uz-Latn");
    expect(parseVersionDeliveryId(id)).toEqual({ storyId: story.id, language: "uz-Latn" });
    expect(parseVersionDeliveryId(story.id)).toEqual({ storyId: story.id });
  });

  it("read an unknown language as part of a plain id", () => {
    expect(parseVersionDeliveryId("abc|lang=de")).toEqual({ storyId: "abc|lang=de" });
  });
});
