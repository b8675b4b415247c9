import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dominantOffsetMinutes, parseFeedDate } from "../../../src/news/feedDate.js";
import { readFeedBody } from "../../../src/news/fetchFeed.js";

const FEED = { id: "f", outlet: "F", language: "en" as const, url: "https://a.test/feed" };
const NOW = new Date("2026-06-01T00:00:00Z");

describe("parseFeedDate: our rules, not new Date()", () => {
  it.each([
    ["Tue, 01 Oct 2019 14:30:00 PST", "2019-10-01T22:30:00.000Z"],
    ["Wed, 01 May 2024 10:00:00 BST", "2024-05-01T09:00:00.000Z"],
    ["Wed, 01 May 2024 10:00:00 CEST", "2024-05-01T08:00:00.000Z"],
    ["Wed, 01 Jan 2024 10:00:00 CET", "2024-01-01T09:00:00.000Z"],
    ["Wed, 01 May 2024 10:00:00 ALMT", "2024-05-01T05:00:00.000Z"],
    ["Wed, 01 May 2024 10:00:00 UZT", "2024-05-01T05:00:00.000Z"],
    ["Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24T22:42:40.000Z"],
    ["01.05.2024 10:00", "2024-05-01T05:00:00.000Z"],
    ["2024-05-01T10:00:00", "2024-05-01T05:00:00.000Z"],
    ["Sun Jul 6 12:56:00 2014 GMT", "2014-07-06T12:56:00.000Z"],
    ["Fri, 19 May 2017 21:05:02 +0530 (IST)", "2017-05-19T15:35:02.000Z"],
    ["Fri, 19 May 2017 21:05:02 +530", "2017-05-19T15:35:02.000Z"],
    ["2017-06-13T03:18:00+00:0", "2017-06-13T03:18:00.000Z"],
    ["Sat, Dec 16 2023 02:02:33 PM", "2023-12-16T09:02:33.000Z"],
    ["Dec 16, 2023 12:05 AM GMT", "2023-12-16T00:05:00.000Z"],
  ])("%j → %s", (text, iso) => {
    expect(parseFeedDate(text)?.toISOString()).toBe(iso);
  });

  it("reads a zone-less time in the outlet's zone when it is given", () => {
    expect(parseFeedDate("2024-05-01T10:00:00", { defaultOffsetMinutes: 180 })?.toISOString()).toBe(
      "2024-05-01T07:00:00.000Z",
    );
  });

  it.each(["2003-06-31", "2003-06-31T10:00:00Z", "Wed, 01 May 2024 10:00:00 XYZT", "31.02.2024 10:00"])(
    "does not trust %j (impossible date or unknown zone)",
    (text) => {
      expect(parseFeedDate(text)).toBeUndefined();
    },
  );

  it("takes an Atom date from the raw text: no TZ of the process, no rollover of 31 June", async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>a</title><link href="https://a.test/1"/><id>1a</id><published>2024-05-01T10:00:00</published></entry>
      <entry><title>b</title><link href="https://a.test/2"/><id>2b</id><updated>2003-06-31T10:00:00Z</updated></entry>
      </feed>`;
    const read = await readFeedBody(FEED, Buffer.from(atom), null, NOW);
    if (!read.ok) throw new Error(read.reason);
    expect(read.items.map((i) => [i.published, i.publishedEstimated])).toEqual([
      ["2024-05-01T05:00:00.000Z", false],
      [NOW.toISOString(), true],
    ]);
  });
});

describe("the feed's own zone", () => {
  it("is the zone most of its dates name, when at least two do", () => {
    expect(
      dominantOffsetMinutes([
        "Wed, 01 May 2024 10:00:00 +0300",
        "2024-05-01T11:00:00+03:00",
        "2024-05-01 12:00",
      ]),
    ).toBe(180);
    expect(dominantOffsetMinutes(["Wed, 01 May 2024 10:00:00 +0300", "2024-05-01 12:00"])).toBeUndefined();
    expect(
      dominantOffsetMinutes([
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00+03:00",
        "2024-05-01T10:00:00+05:00",
      ]),
    ).toBeUndefined();
  });

  it("reads the zone-less dates of a feed whose other dates are in Moscow time in Moscow time", async () => {
    const rss = `<rss version="2.0"><channel><title>t</title>
      <item><title>a</title><link>https://a.test/1</link><pubDate>Wed, 01 May 2024 10:00:00 +0300</pubDate></item>
      <item><title>b</title><link>https://a.test/2</link><pubDate>Wed, 01 May 2024 11:00:00 +0300</pubDate></item>
      <item><title>c</title><link>https://a.test/3</link><pubDate>01.05.2024 12:00</pubDate></item></channel></rss>`;
    const read = await readFeedBody(FEED, Buffer.from(rss), null, NOW);
    if (!read.ok) throw new Error(read.reason);
    expect(read.items.map((i) => i.published)).toEqual([
      "2024-05-01T07:00:00.000Z",
      "2024-05-01T08:00:00.000Z",
      "2024-05-01T09:00:00.000Z",
    ]);
  });
});

// The same reading in processes with other time zones: the result must not move.
const src = (file: string) =>
  JSON.stringify(fileURLToPath(new URL(`../../../src/news/${file}`, import.meta.url)));
const CHILD = `
import { parseFeedDate } from ${src("feedDate.ts")};
import { readFeedBody } from ${src("fetchFeed.ts")};
const texts = ["2024-05-01T10:00:00", "01.05.2024 10:00", "Wed, 01 May 2024 10:00:00", "1 мая 2024 10:00", "2024-05-01"];
const atom = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a</title><id>1</id><published>2024-05-01T10:00:00</published></entry></feed>';
const read = await readFeedBody({ id: "f", outlet: "F", language: "en", url: "https://a.test/" }, Buffer.from(atom), null, new Date("2026-01-01T00:00:00Z"));
process.stdout.write(JSON.stringify({
  tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
  dates: texts.map((t) => parseFeedDate(t)?.toISOString() ?? null),
  atom: read.ok ? read.items[0]?.published : read.reason,
}));
`;

describe("parseFeedDate under two process time zones", () => {
  it.each(["UTC", "America/New_York"])("TZ=%s reads zone-less times as UTC+5", (tz) => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD], {
      env: { ...process.env, TZ: tz },
      encoding: "utf8",
    });
    const result = JSON.parse(out) as { tz: string; dates: Array<string | null>; atom: string };
    // Proves the child really ran in that zone.
    expect(result.tz).toBe(tz);
    expect(result.dates).toEqual([
      "2024-05-01T05:00:00.000Z",
      "2024-05-01T05:00:00.000Z",
      "2024-05-01T05:00:00.000Z",
      "2024-05-01T05:00:00.000Z",
      "2024-04-30T19:00:00.000Z",
    ]);
    expect(result.atom).toBe("2024-05-01T05:00:00.000Z");
  });
});
