import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";

/** The text of a feed body and the charset it was read with. */
export type DecodedBody = {
  text: string;
  /** The charset used, lower case as declared (e.g. "utf-8", "windows-1251"). */
  encoding: string;
  /** Why the declared charset was not used, when it was not (unknown name, no declaration, ...). */
  fallbackReason?: string;
};

// Only the first bytes are searched for the prolog; a prolog is required to open the document.
const PROLOG_WINDOW = 256;
const PROLOG_ENCODING = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;
const WIDE_CHARSET = /^(utf-?16|utf-?32|ucs-?2|ucs-?4)/;
const CONTENT_TYPE_CHARSET = /;\s*charset\s*=\s*["']?([A-Za-z0-9._:-]+)/i;

/**
 * Turns the bytes of a feed into text. The charset is taken from, in order: a byte-order mark,
 * the XML prolog's `encoding=`, the Content-Type `charset=`, else UTF-8. An unknown charset name
 * falls back to UTF-8 and says so in `fallbackReason`; the result never contains a BOM.
 * Pure: never throws.
 */
export function decodeBody(bytes: Buffer, contentType: string | null): DecodedBody {
  const bom = sniffBom(bytes);
  if (bom) {
    const rest = bytes.subarray(bom.length);
    const text = bom.encoding === "utf-8" ? rest.toString("utf8") : iconv.decode(rest, bom.encoding);
    return { text, encoding: bom.encoding };
  }

  // UTF-16 without a BOM still shows the opening "<" as 3C 00 (or 00 3C); an ASCII search for
  // the prolog would miss it.
  if (bytes[0] === 0x3c && bytes[1] === 0)
    return { text: iconv.decode(bytes, "utf-16le"), encoding: "utf-16le" };
  if (bytes[0] === 0 && bytes[1] === 0x3c)
    return { text: iconv.decode(bytes, "utf-16be"), encoding: "utf-16be" };

  const prolog = PROLOG_ENCODING.exec(bytes.subarray(0, PROLOG_WINDOW).toString("latin1"))?.[1];
  const header = contentType ? CONTENT_TYPE_CHARSET.exec(contentType)?.[1] : undefined;
  const declared = (prolog ?? header)?.toLowerCase();
  const source = prolog ? "the XML prolog" : "the Content-Type header";

  if (declared === undefined) {
    // Nothing declared means UTF-8 by the XML rules, but old Russian-language sites serve
    // windows-1251 without saying so; invalid UTF-8 is the tell.
    if (!isUtf8(bytes)) {
      return {
        text: iconv.decode(bytes, "windows-1251"),
        encoding: "windows-1251",
        fallbackReason: "no charset declared and the body is not valid UTF-8: read as windows-1251",
      };
    }
    return { text: decodeUtf8(bytes), encoding: "utf-8" };
  }

  if (isUtf8Label(declared)) return { text: decodeUtf8(bytes), encoding: "utf-8" };

  // Real UTF-16/32 was caught above (BOM or a NUL next to "<"): the label is wrong.
  if (WIDE_CHARSET.test(declared)) {
    return {
      text: decodeUtf8(bytes),
      encoding: "utf-8",
      fallbackReason: `${source} declares ${declared} but the bytes are 8-bit: read as UTF-8`,
    };
  }

  if (!iconv.encodingExists(declared)) {
    return {
      text: decodeUtf8(bytes),
      encoding: "utf-8",
      fallbackReason: `${source} declares the unknown charset "${declared}": read as UTF-8`,
    };
  }
  return { text: iconv.decode(bytes, declared), encoding: declared };
}

function sniffBom(bytes: Buffer): { length: number; encoding: string } | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { length: 3, encoding: "utf-8" };
  // UTF-32LE's BOM starts with UTF-16LE's, so it is checked first.
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { length: 4, encoding: "utf-32le" };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { length: 4, encoding: "utf-32be" };
  if (b0 === 0xff && b1 === 0xfe) return { length: 2, encoding: "utf-16le" };
  if (b0 === 0xfe && b1 === 0xff) return { length: 2, encoding: "utf-16be" };
  return undefined;
}

function isUtf8Label(label: string): boolean {
  return label === "utf-8" || label === "utf8";
}

function decodeUtf8(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
