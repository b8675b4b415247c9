import { describe, expect, it } from "vitest";
import { audienceDetail, audienceSchema, inAudience, placeOf } from "../../../src/admin/audience.js";
import { countProfile, emptySubscriberStats } from "../../../src/admin/stats.js";

const person = { language: "ru" as const, topicMask: 1, kind: "private" as const };
const group = { language: "ru" as const, topicMask: 1, kind: "supergroup" as const };
const channel = { language: "en" as const, topicMask: 1, kind: "channel" as const };
const topic = { language: "ru" as const, topicMask: 1, kind: "supergroup" as const, threadId: 9 };

describe("broadcast audiences by place", () => {
  it("targets channels, forum topics, or leaves both out", () => {
    const all = [person, group, channel, topic];
    const pick = (places: "channels" | "threads" | "chats") =>
      all.filter((r) => inAudience(r, { kind: "places", places }));
    expect(pick("channels")).toEqual([channel]);
    expect(pick("threads")).toEqual([topic]);
    expect(pick("chats")).toEqual([person, group]);
    // A record from before the kind was walked counts as a chat.
    expect(placeOf({})).toBe("chats");
  });

  it("is validated and described like the other audiences", () => {
    expect(audienceSchema.parse({ kind: "places", places: "threads" })).toEqual({
      kind: "places",
      places: "threads",
    });
    expect(audienceSchema.safeParse({ kind: "places", places: "everyone" }).success).toBe(false);
    expect(audienceDetail({ kind: "places", places: "channels" })).toBe("places: channels");
  });
});

describe("/stats by place", () => {
  it("counts active private chats, groups, channels and forum topics apart", () => {
    const stats = emptySubscriberStats();
    const active = { s: "active", lang: "ru", t: "1", r: "0" };
    countProfile(stats, { ...active, k: "private" });
    countProfile(stats, { ...active, k: null }); // older records have no kind: a private chat
    countProfile(stats, { ...active, k: "group" });
    countProfile(stats, { ...active, k: "supergroup" });
    countProfile(stats, { ...active, k: "channel" });
    countProfile(stats, { ...active, k: "supergroup" }, true);
    countProfile(stats, { ...active, s: "blocked", k: "channel" });
    expect(stats.byPlace).toEqual({ private: 2, group: 2, channel: 1, topic: 1 });
    expect(stats.active).toBe(6);
    expect(stats.blocked).toBe(1);
  });
});
