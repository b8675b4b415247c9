import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../../../src/news/decode.js";
import { checkFeed, sanitiseXml } from "../../../src/news/feedCheck.js";
import { FEED_FIXTURES_DIR } from "../../support/feedServer.js";

const RUSSIAN = "Казахстан и Узбекистан: «зелёный коридор» — ёмкость";
const fixture = (name: string) => readFileSync(`${FEED_FIXTURES_DIR}${name}`, "utf8");

function xml(encoding: string | undefined, text = RUSSIAN): string {
  const declaration = encoding ? ` encoding="${encoding}"` : "";
  return `<?xml version="1.0"${declaration}?><rss version="2.0"><channel><title>${text}</title></channel></rss>`;
}

describe("decodeBody", () => {
  it("reads plain UTF-8 with no declaration", () => {
    const result = decodeBody(Buffer.from(xml(undefined)), null);
    expect(result).toEqual({ text: xml(undefined), encoding: "utf-8" });
  });

  it("strips a UTF-8 byte-order mark", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml("UTF-8"))]);
    const result = decodeBody(bytes, "text/xml; charset=windows-1251");
    expect(result.encoding).toBe("utf-8");
    expect(result.text).toBe(xml("UTF-8"));
  });

  it("lets a BOM win over the prolog and the header", () => {
    const bytes = iconv.encode(xml("windows-1251"), "utf-16le", { addBOM: true });
    const result = decodeBody(bytes, "application/rss+xml; charset=koi8-r");
    expect(result.encoding).toBe("utf-16le");
    expect(result.text).toContain(RUSSIAN);
    expect(result.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it("reads UTF-16BE with a BOM and UTF-16LE without one", () => {
    const be = iconv.encode(xml("UTF-16"), "utf-16be", { addBOM: true });
    expect(decodeBody(be, null)).toMatchObject({ encoding: "utf-16be", text: xml("UTF-16") });
    const le = iconv.encode(xml("UTF-16"), "utf-16le");
    expect(decodeBody(le, null)).toMatchObject({ encoding: "utf-16le", text: xml("UTF-16") });
  });

  it("prefers the XML prolog's encoding to a wrong Content-Type charset", () => {
    const bytes = iconv.encode(xml("windows-1251"), "windows-1251");
    const result = decodeBody(bytes, "text/xml; charset=utf-8");
    expect(result.encoding).toBe("windows-1251");
    expect(result.text).toContain(RUSSIAN);
  });

  it("uses the Content-Type charset when the prolog names none", () => {
    const bytes = iconv.encode(xml(undefined), "windows-1251");
    const result = decodeBody(bytes, 'application/rss+xml; charset="Windows-1251"');
    expect(result.encoding).toBe("windows-1251");
    expect(result.text).toContain(RUSSIAN);
  });

  it("reads KOI8-R", () => {
    // KOI8-R has no guillemets or dashes.
    const plain = "Делегация Узбекистана прибыла в Астану, ёмкость";
    const bytes = iconv.encode(xml("KOI8-R", plain), "koi8-r");
    const result = decodeBody(bytes, null);
    expect(result.encoding).toBe("koi8-r");
    expect(result.text).toContain(plain);
  });

  it("falls back to UTF-8 for an unknown charset and says why", () => {
    const result = decodeBody(Buffer.from(xml("x-klingon")), null);
    expect(result.encoding).toBe("utf-8");
    expect(result.text).toContain(RUSSIAN);
    expect(result.fallbackReason).toMatch(/unknown charset "x-klingon"/);
  });

  it("reads undeclared windows-1251 (invalid as UTF-8) as windows-1251 and says so", () => {
    const bytes = iconv.encode(xml(undefined), "windows-1251");
    const result = decodeBody(bytes, "text/xml");
    expect(result.encoding).toBe("windows-1251");
    expect(result.text).toContain(RUSSIAN);
    expect(result.fallbackReason).toMatch(/not valid UTF-8/);
  });

  it("does not believe a UTF-16 label on 8-bit bytes", () => {
    const result = decodeBody(Buffer.from(xml("UTF-16")), null);
    expect(result.encoding).toBe("utf-8");
    expect(result.text).toContain(RUSSIAN);
    expect(result.fallbackReason).toMatch(/declares utf-16/);
  });

  it("handles an empty body", () => {
    expect(decodeBody(Buffer.alloc(0), null)).toEqual({ text: "", encoding: "utf-8" });
  });
});

describe("checkFeed", () => {
  it.each([
    ["RSS 2.0", xml("UTF-8"), "rss2"],
    ["RSS without a version", "<rss><channel/></rss>", "rss2"],
    [
      "RSS 0.91 with a DOCTYPE",
      '<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "x.dtd">\n<rss version="0.91"/>',
      "rss2",
    ],
    ["RSS 1.0 / RDF", fixture("rdf-uz-cyrl.xml"), "rdf"],
    ["Atom", fixture("atom-en.xml"), "atom"],
    [
      "a comment and a stylesheet first",
      '<?xml version="1.0"?><!-- hi --><?xml-stylesheet href="s.xsl"?>\n<rss/>',
      "rss2",
    ],
    ["an entity bomb's internal subset first", fixture("billion-laughs.xml"), "rss2"],
  ])("recognises %s", (_name, text, format) => {
    expect(checkFeed(text)).toEqual({ ok: true, format });
  });

  it("says an HTML page is not a feed, with its title", () => {
    const check = checkFeed(
      "<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head><body></body></html>",
    );
    expect(check).toEqual({
      ok: false,
      reason:
        'the server sent an HTML page titled "Just a moment...", not a feed: it may block bots or the URL is a web page',
    });
  });

  it("recognises XHTML behind an XML prolog as HTML", () => {
    const check = checkFeed(
      '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    );
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(/HTML page, not a feed/);
  });

  it.each([
    ["empty", "", /empty body/],
    ["whitespace", "  \n\t ", /empty body/],
    ["JSON", fixture("not-a-feed.json"), /sent JSON, not a feed/],
    ["plain text", "Service Unavailable", /not XML \(it starts with "Service Unavailable"\)/],
    [
      "other XML",
      "<?xml version='1.0'?><rates><item/></rates>",
      /XML that is not a feed \(root element <rates>/,
    ],
  ])("rejects %s with a reason", (_name, text, reason) => {
    const check = checkFeed(text);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });
});

describe("sanitiseXml", () => {
  it("leaves a well-formed feed exactly as it is", () => {
    for (const name of [
      "gazeta-ru.xml",
      "kun-uz.xml",
      "timesca-wordpress.xml",
      "atom-en.xml",
      "rdf-uz-cyrl.xml",
    ]) {
      const text = fixture(name);
      expect(sanitiseXml(text), name).toEqual({ text, repairs: [] });
    }
  });

  it("escapes a stray '&' and keeps real references", () => {
    const { text, repairs } = sanitiseXml("<t>AT&T &amp; Co &#169; &#x2014; &lt;b&gt; a&b=1&c</t>");
    expect(text).toBe("<t>AT&amp;T &amp; Co &#169; &#x2014; &lt;b&gt; a&amp;b=1&amp;c</t>");
    expect(repairs).toEqual(["escaped 3 stray '&'"]);
  });

  it("turns HTML named entities into numeric references", () => {
    const { text } = sanitiseXml("<t>a&nbsp;b &laquo;c&raquo; &mdash; &hellip;</t>");
    expect(text).toBe("<t>a&#160;b &#171;c&#187; &#8212; &#8230;</t>");
  });

  it("leaves CDATA sections and comments untouched", () => {
    const input = "<t><![CDATA[a & b &nbsp; <p>x</p>]]><!-- c & d --></t>";
    expect(sanitiseXml(input)).toEqual({ text: input, repairs: [] });
  });

  it("removes control characters and references to forbidden characters", () => {
    const { text, repairs } = sanitiseXml("<t>a\u0001b\u000bc&#1;d&#x0;</t>");
    expect(text).toBe("<t>abcd</t>");
    expect(repairs).toHaveLength(2);
  });

  it("escapes a '<' that cannot start markup", () => {
    expect(sanitiseXml("<t>a < b <= c</t>").text).toBe("<t>a &lt; b &lt;= c</t>");
  });

  it("removes the DOCTYPE and entity declarations of a billion-laughs bomb without expanding anything", () => {
    const bomb = fixture("billion-laughs.xml");
    const { text, repairs } = sanitiseXml(bomb);
    expect(text).not.toMatch(/<!DOCTYPE|<!ENTITY/);
    expect(text).toContain("<title>&amp;lol9;</title>");
    expect(text.length).toBeLessThan(bomb.length);
    expect(repairs[0]).toMatch(/removed the DOCTYPE/);
  });
});
