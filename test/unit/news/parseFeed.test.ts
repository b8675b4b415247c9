import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../../../src/news/decode.js";
import { readFeedBody } from "../../../src/news/fetchFeed.js";
import { parseFeed } from "../../../src/news/parseFeed.js";
import { balanceTags, readXmlTree } from "../../../src/news/xmlTree.js";

const FEED = { id: "f", outlet: "F", language: "en" as const, url: "https://a.test/feed" };
const NOW = new Date("2026-04-01T12:00:00Z");

async function items(xml: string) {
  const result = await readFeedBody(FEED, Buffer.from(xml), null, NOW);
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe("parseFeed: quirks that used to fail a whole feed", () => {
  it("skips an Atom <link/> without attributes instead of failing", async () => {
    const { items: read } =
      await items(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><link/>
      <link rel="self" href="https://a.test/self"/><link rel="alternate" type="text/html" href="https://a.test/a"/><id>x1</id></entry></feed>`);
    expect(read.map((i) => i.link)).toEqual(["https://a.test/a"]);
  });

  it("reads the items of an <rss> without <channel>, and says so", async () => {
    const result = await items(
      `<rss version="2.0"><item><title>t</title><link>https://a.test/1</link></item></rss>`,
    );
    expect(result.items.map((i) => i.title)).toEqual(["t"]);
    expect(result.warnings.join("; ")).toMatch(/no <channel>/);
  });

  it("gives the text of XHTML and HTML titles, CDATA included", async () => {
    const { items: read } = await items(`<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Tashkent <b>and</b> Astana</div></title><id>1</id></entry>
      <entry><title type="html">&lt;i&gt;Trade&lt;/i&gt; &amp;amp; transit</title><id>2</id></entry>
      <entry><title type="text"><![CDATA[a < b]]></title><id>3</id></entry>
      <entry><title type="application/octet-stream">VHJhbnNpdA==</title><id>4</id></entry></feed>`);
    expect(read.map((i) => i.title)).toEqual(["Tashkent and Astana", "Trade & transit", "a < b", "Transit"]);
  });

  it("reads an Atom entry document as a feed of one item, and entries with their own prefix", async () => {
    const entry = await items(
      `<entry xmlns="http://www.w3.org/2005/Atom"><title>Only</title><id>urn:1</id></entry>`,
    );
    expect(entry.items.map((i) => i.title)).toEqual(["Only"]);
    const prefixed = await items(`<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>
      <p0:entry xmlns:p0="http://www.w3.org/2005/Atom"><p0:title>Prefixed</p0:title><p0:id>urn:2</p0:id></p0:entry></feed>`);
    expect(prefixed.items.map((i) => i.title)).toEqual(["Prefixed"]);
  });

  it("keeps the raw date text and the full content", async () => {
    const result = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><id>1</id><updated>2024-05-01T10:00:00</updated>
       <content type="html">&lt;p&gt;Full &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</content></entry></feed>`,
      "atom",
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.items[0]).toMatchObject({
      published: "2024-05-01T10:00:00",
      content: "<p>Full <b>text</b></p>",
    });
    const { items: read } =
      await items(`<rss version="2.0"><channel><item><title>t</title><link>https://a.test/1</link>
      <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>Body <i>here</i></p>]]></content:encoded></item></channel></rss>`);
    expect(read[0]?.content).toBe("Body here");
  });

  it("resolves item links against xml:base", async () => {
    const { items: read } = await items(
      `<rss version="2.0" xml:base="https://a.test/news/"><channel><item><title>t</title><link>2026/1</link></item></channel></rss>`,
    );
    expect(read[0]?.link).toBe("https://a.test/news/2026/1");
  });
});

describe("parseFeed: rss-parser reads, the tolerant reader recovers", () => {
  it("reads a well-formed feed with rss-parser: CDATA is literal text, as in gofeed", async () => {
    const result = await parseFeed(
      `<rss version="2.0"><channel><item><title>t</title><guid isPermaLink="false"><![CDATA[&lt;p&gt;abc&lt;/p&gt;]]></guid></item></channel></rss>`,
      "rss2",
    );
    // Our tree decodes the CDATA's text a second time and gives "<p>abc</p>".
    expect(result).toMatchObject({ ok: true, warnings: [], items: [{ guid: "&lt;p&gt;abc&lt;/p&gt;" }] });
  });

  it("hands a document rss-parser faults on to the tolerant reader, and says so", async () => {
    const result = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><link/><id>1</id></entry></feed>`,
      "atom",
    );
    expect(result).toMatchObject({ ok: true, items: [{ title: "t", guid: "1" }] });
    if (result.ok) expect(result.warnings.join("; ")).toMatch(/^rss-parser could not read the feed/);
    // rss-parser's `new Date(text).toISOString()` throws a RangeError on an Atom date it cannot read.
    const badDate = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><id>1</id><published>01.05.2024 10:00</published></entry><entry><title>u</title><id>2</id><published>someday</published></entry></feed>`,
      "atom",
    );
    expect(badDate).toMatchObject({
      ok: true,
      items: [{ published: "01.05.2024 10:00" }, { published: "someday" }],
    });
  });

  it("takes the tree's reading of an xhtml title and of items rss-parser does not see", async () => {
    const xhtml = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <b>and</b> B</div></title><id>1</id></entry></feed>`,
      "atom",
    );
    expect(xhtml).toMatchObject({ ok: true, items: [{ title: "A <b>and</b> B" }] });
    const after = await parseFeed(
      `<rss version="2.0"><channel><item><title>a</title></item></channel><item><title>b</title></item></rss>`,
      "rss2",
    );
    expect(after).toMatchObject({ ok: true, items: [{ title: "a" }, { title: "b" }] });
    if (after.ok) expect(after.warnings.join("; ")).toMatch(/rss-parser read 1 of the 2 items/);
  });

  it("answers after a document that ends inside a quote (a shared xml2js parser then hung)", async () => {
    const answer = (xml: string) =>
      Promise.race([
        parseFeed(xml, "rss2"),
        new Promise((resolve) => setTimeout(() => resolve("no answer within 2 s"), 2000)),
      ]);
    // sax's "Unexpected end" inside an attribute value, then a document with no root element.
    expect(await answer(`<feed x="a>`)).toMatchObject({ ok: false });
    expect(await answer("<!-- a feed cut off before its root -->\n")).toMatchObject({ ok: false });
    expect(
      await answer(`<rss version="2.0"><channel><item><title>b</title></item></channel></rss>`),
    ).toMatchObject({
      ok: true,
      items: [{ title: "b" }],
    });
  });
});

describe("DOCTYPEs", () => {
  it("reads a feed under a pasted HTML DOCTYPE, and keeps `<!DOCTYPE` quoted in CDATA or a comment", async () => {
    const html = await items(
      `<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x"><rss><channel><item><title>found</title></item></channel></rss>`,
    );
    expect(html.items.map((i) => i.title)).toEqual(["found"]);
    const quoted = await items(
      `<!-- a "<!DOCTYPE" in a comment --><rss><item><title>t</title><description><![CDATA[ <!DOCTYPE ]]></description></item></rss>`,
    );
    expect(quoted.items[0]?.summary).toBe("<!DOCTYPE");
  });
});

describe("the tolerant reader", () => {
  it("balances tags the way HTML parsers do", () => {
    expect(balanceTags("<a><b>x</a><c>y</d></c>")).toBe("<a><b>x</b></a><c>y</c>");
  });

  it("recovers a document cut off after its last item, refuses one cut off inside an item", () => {
    expect(readXmlTree("<rss><channel><item><title>a</title></item></channel")).toMatchObject({ ok: true });
    const cut = readXmlTree("<rss><channel><item><title>a</title></item><item><title>b");
    expect(cut).toMatchObject({ ok: false });
    if (!cut.ok) expect(cut.reason).toMatch(/line 1, column \d+ before <rss> is closed; it looks cut off/);
  });
});

describe("decodeBody: charset by evidence", () => {
  const doc = (text: string, encoding?: string) =>
    `<?xml version="1.0"${encoding ? ` encoding="${encoding}"` : ""}?><rss><channel><title>${text}</title></channel></rss>`;

  it("reads ISO-8859-1 and US-ASCII labels as windows-1252, so curly quotes survive", () => {
    const bytes = iconv.encode(doc("don’t “quote”", "ISO-8859-1"), "windows-1252");
    expect(decodeBody(bytes, null)).toMatchObject({ encoding: "windows-1252" });
    expect(decodeBody(bytes, null).text).toContain("don’t “quote”");
    expect(decodeBody(iconv.encode(doc("a—b"), "windows-1252"), "text/xml; charset=us-ascii").text).toContain(
      "a—b",
    );
  });

  it.each([
    ["koi8-r", "Делегация Узбекистана прибыла в Астану для переговоров о торговле"],
    ["windows-1251", "Делегация Узбекистана прибыла в Астану для переговоров о торговле"],
    ["windows-1252", "Expansão de Parâmetros: ação e organização das informações"],
  ])("guesses undeclared %s by its letters", (encoding, text) => {
    const result = decodeBody(iconv.encode(doc(text), encoding), null);
    expect(result.encoding).toBe(encoding);
    expect(result.text).toContain(text);
    expect(result.fallbackReason).toMatch(/no charset declared.*likeliest/);
  });

  it("does not follow a declaration the bytes do not satisfy", () => {
    const bytes = Buffer.from(doc("Ташкент", "windows-1251"));
    const result = decodeBody(bytes, null);
    expect(result.encoding).toBe("utf-8");
    expect(result.text).toContain("Ташкент");
    expect(result.fallbackReason).toMatch(/declares windows-1251 but the bytes are UTF-8/);
  });

  it("reads UTF-32 without a BOM and a gzip body without Content-Encoding", async () => {
    expect(decodeBody(iconv.encode(doc("x"), "utf-32le"), null)).toMatchObject({
      encoding: "utf-32le",
      text: doc("x"),
    });
    const { gzipSync } = await import("node:zlib");
    const result = await readFeedBody(
      FEED,
      gzipSync(`<rss><channel><item><title>z</title></item></channel></rss>`),
      null,
      NOW,
    );
    expect(result).toMatchObject({ ok: true, items: [{ title: "z" }] });
  });
});
