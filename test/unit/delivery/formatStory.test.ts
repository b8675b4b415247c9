import { describe, expect, it } from "vitest";
import {
  CAPTION_LIMIT,
  formatDigest,
  formatStory,
  formatStoryCaption,
  MESSAGE_LIMIT,
  truncateText,
} from "../../../src/delivery/formatStory.js";
import type { Translate } from "../../../src/i18n/translator.js";
import type { Story } from "../../../src/news/types.js";

const translate: Translate = (language, key, vars) => {
  if (key === "story-also-reported")
    return `${language === "ru" ? "Также" : "Also reported by"}: ${vars?.outlets}`;
  return key;
};
const base = { language: "en" as const, translate, timeZone: "Asia/Almaty" };

function story(overrides: Partial<Story> = {}): Story {
  return {
    id: "s1",
    feedId: "gazeta",
    outlet: "Gazeta.uz",
    language: "ru",
    title: "Kazakhstan and Uzbekistan sign a trade deal",
    summary: "The two presidents agreed to double trade by 2030.",
    link: "https://www.gazeta.uz/ru/2026/11/24/trade/",
    published: "2026-11-24T09:05:00Z",
    publishedEstimated: false,
    categories: [],
    topics: ["trade", "energy"],
    alsoReportedBy: [],
    acceptedAt: "2026-11-24T09:06:00Z",
    ...overrides,
  };
}

/**
 * Telegram's HTML rules, as strictly as Telegram applies them: known tags only, balanced, every
 * "&" starting a known entity, no bare "<", and href values without a raw quote.
 */
function assertTelegramHtml(html: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([a-z-]+)((?:\s+href="[^"<>]*")?)>|&(lt|gt|amp|quot|#\d+);|[<>&]/g;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    if (m[0] === "<" || m[0] === "&")
      throw new Error(`bare ${m[0]} at ${m.index} in ${html.slice(m.index - 20, m.index + 20)}`);
    if (m[0] === ">") throw new Error(`bare > at ${m.index}`);
    if (m[4]) continue;
    const name = m[2] as string;
    if (!["b", "i", "a"].includes(name)) throw new Error(`unexpected tag ${name}`);
    if (m[1]) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
    } else stack.push(name);
  }
  expect(stack).toEqual([]);
}

describe("formatStory", () => {
  it("bold linked title, outlet and local time, summary, hashtags", () => {
    const text = formatStory(story(), base);
    expect(text).toBe(
      [
        '<b><a href="https://www.gazeta.uz/ru/2026/11/24/trade/">Kazakhstan and Uzbekistan sign a trade deal</a></b>',
        "<i>Gazeta.uz</i> · 24 Nov, 14:05",
        "The two presidents agreed to double trade by 2030.",
        "#trade #energy",
      ].join("\n\n"),
    );
    assertTelegramHtml(text);
  });

  it("shows the time in the reader's language and TIMEZONE", () => {
    expect(formatStory(story(), { ...base, language: "ru" })).toMatch(/24 нояб\.?, 14:05/);
    expect(formatStory(story(), { ...base, timeZone: "Europe/Moscow" })).toContain("12:05");
    // An unusable date is left out rather than shown as "Invalid Date".
    expect(formatStory(story({ published: "yesterday" }), base)).not.toMatch(/Invalid|NaN/);
  });

  it("escapes hostile feed text everywhere, links included", () => {
    const hostile = story({
      title: '<script>alert("x")</script> &amp; <b>bold</b>',
      outlet: "Evil <Outlet> & Co",
      summary: 'A < B && C > D; "quoted" &nbsp; &#x3C;tag&#x3E;',
      link: 'https://example.com/?a=1&b="2"<x>',
      alsoReportedBy: [{ outlet: "Kun.uz <i>", link: 'https://kun.uz/?q="a"&r=<1>' }],
    });
    const text = formatStory(hostile, base);
    assertTelegramHtml(text);
    expect(text).toContain(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;amp; &lt;b&gt;bold&lt;/b&gt;",
    );
    expect(text).toContain('href="https://example.com/?a=1&amp;b=&quot;2&quot;&lt;x&gt;"');
    expect(text).toContain("<i>Evil &lt;Outlet&gt; &amp; Co</i>");
    expect(text).toContain(
      'Also reported by: <a href="https://kun.uz/?q=&quot;a&quot;&amp;r=&lt;1&gt;">Kun.uz &lt;i&gt;</a>',
    );
  });

  it("links only http(s) URLs", () => {
    const text = formatStory(
      story({ link: "javascript:alert(1)", alsoReportedBy: [{ outlet: "X", link: "data:text/html,hi" }] }),
      base,
    );
    expect(text).not.toContain("href");
    expect(text).toContain("<b>Kazakhstan and Uzbekistan sign a trade deal</b>");
    assertTelegramHtml(text);
  });

  it("cuts a 10 KB summary at a word boundary near 300 characters", () => {
    const summary = `${"Word ".repeat(2000)}end`;
    const text = formatStory(story({ summary }), base);
    const line = text.split("\n\n")[2] as string;
    expect(line.length).toBeLessThanOrEqual(300);
    expect(line.length).toBeGreaterThan(250);
    expect(line.endsWith("Word…")).toBe(true);
  });

  it("never cuts inside an entity, however many ampersands", () => {
    for (let n = 280; n < 320; n++) {
      const text = formatStory(story({ summary: `${"a".repeat(n)} ${"&".repeat(400)}<<<>>>` }), base);
      assertTelegramHtml(text);
    }
    const amps = formatStory(story({ summary: "&".repeat(10_000), title: "&".repeat(10_000) }), base);
    assertTelegramHtml(amps);
    expect(amps.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
  });

  it("keeps emoji whole and passes RTL text through", () => {
    const emoji = "🇰🇿🤝🇺🇿".repeat(200);
    const text = formatStory(story({ title: emoji, summary: emoji }), base);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
    expect(text).not.toMatch(/(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/); // no lone low surrogate
    const rtl = formatStory(
      story({ title: "كازاخستان وأوزبكستان توقعان اتفاقية", summary: "שלום & עולם" }),
      base,
    );
    expect(rtl).toContain("كازاخستان وأوزبكستان توقعان اتفاقية");
    expect(rtl).toContain("שלום &amp; עולם");
    assertTelegramHtml(rtl);
  });

  it("stays within 4096 (message) and 1024 (caption) with everything huge", () => {
    const huge = story({
      title: "T&".repeat(5000),
      outlet: "O<".repeat(500),
      summary: "S> ".repeat(5000),
      link: `https://example.com/${"p".repeat(900)}`,
      alsoReportedBy: Array.from({ length: 50 }, (_, i) => ({
        outlet: `Outlet&${i}`.repeat(20),
        link: `https://o${i}.example/${"q".repeat(900)}`,
      })),
    });
    const message = formatStory(huge, base);
    assertTelegramHtml(message);
    expect(message.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    const caption = formatStoryCaption(huge, base);
    assertTelegramHtml(caption);
    expect(caption.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(caption).toContain("T&amp;T"); // the title survives
  });

  it("lists other outlets once each, skipping the story's own link", () => {
    const text = formatStory(
      story({
        alsoReportedBy: [
          { outlet: "Kun.uz", link: "https://kun.uz/1" },
          { outlet: "Kun.uz", link: "https://kun.uz/1" },
          { outlet: "Self", link: "https://www.gazeta.uz/ru/2026/11/24/trade/" },
          { outlet: "Tengri", link: "https://tengrinews.kz/2" },
        ],
      }),
      { ...base, language: "ru" },
    );
    expect(text).toContain(
      'Также: <a href="https://kun.uz/1">Kun.uz</a>, <a href="https://tengrinews.kz/2">Tengri</a>',
    );
  });
});

describe("truncateText", () => {
  it("leaves short text alone and collapses whitespace", () => {
    expect(truncateText("  a\n\tb  ", 10)).toBe("a b");
  });
  it("cuts a long word hard, never splitting a surrogate pair", () => {
    expect(truncateText("x".repeat(50), 10)).toBe(`${"x".repeat(9)}…`);
    const cut = truncateText("😀".repeat(10), 6);
    expect(cut).toBe("😀😀…");
  });
});

describe("formatDigest", () => {
  it("merges stories into one message under the limit and says which fit", () => {
    const stories = Array.from({ length: 40 }, (_, i) =>
      story({ id: `s${i}`, title: `Story ${i} & more`, summary: "Long summary text. ".repeat(40) }),
    );
    const digest = formatDigest(stories, base);
    expect(digest.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(digest.storyIds.length).toBeGreaterThan(3);
    expect(digest.storyIds.length).toBeLessThan(40);
    expect(digest.storyIds[0]).toBe("s0");
    assertTelegramHtml(digest.text);
    for (const id of digest.storyIds) expect(digest.text).toContain(`Story ${id.slice(1)} &amp; more`);
  });
  it("a single story always fits", () => {
    const digest = formatDigest([story({ summary: "x ".repeat(5000) })], base);
    expect(digest.storyIds).toEqual(["s1"]);
  });
});
