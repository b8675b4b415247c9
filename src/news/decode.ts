import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import { guessCharset } from "./charsetGuess.js";

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
 * Turns the bytes of a feed into text, by evidence: a byte-order mark; else UTF-16/32 seen in the
 * bytes; else the charset the XML prolog's `encoding=` or the Content-Type `charset=` declares,
 * if the bytes satisfy it (valid UTF-8 for a UTF-8 label, defined characters for another); else
 * UTF-8 when the bytes are valid UTF-8; else the likeliest of windows-1251, KOI8-R and
 * windows-1252 by its letters (see guessSingleByteCharset). ISO-8859-1 and US-ASCII labels are
 * read as windows-1252, as browsers do, so the curly quotes of such feeds are not lost as C1
 * controls. Whenever the declaration was not followed, `fallbackReason` says why. The result
 * never contains a BOM. Pure: never throws.
 */
export function decodeBody(bytes: Buffer, contentType: string | null): DecodedBody {
  const bom = sniffBom(bytes);
  if (bom) {
    const rest = bytes.subarray(bom.length);
    const text = bom.encoding === "utf-8" ? decodeUtf8(rest) : iconv.decode(rest, bom.encoding);
    return { text, encoding: bom.encoding };
  }

  // UTF-16/32 without a BOM still shows the opening "<" with NULs beside it; an ASCII search for
  // the prolog would miss it. UTF-32 first: its pattern starts with UTF-16LE's.
  const wide = sniffWide(bytes);
  if (wide) return { text: iconv.decode(bytes, wide), encoding: wide };

  const prolog = PROLOG_ENCODING.exec(bytes.subarray(0, PROLOG_WINDOW).toString("latin1"))?.[1];
  const header = contentType ? CONTENT_TYPE_CHARSET.exec(contentType)?.[1] : undefined;
  const declarations: Array<{ label: string; source: string }> = [];
  if (prolog) declarations.push({ label: prolog.toLowerCase(), source: "the XML prolog" });
  if (header) declarations.push({ label: header.toLowerCase(), source: "the Content-Type header" });

  const reasons: string[] = [];
  const valid = isUtf8(bytes);
  for (const { label, source } of declarations) {
    const charset = browserCharset(label);
    if (charset === "utf-8") {
      if (valid) return withReasons({ text: decodeUtf8(bytes), encoding: "utf-8" }, reasons);
      reasons.push(`${source} declares ${label} but the bytes are not valid UTF-8`);
      continue;
    }
    // Real UTF-16/32 was caught above (BOM or NULs next to "<"): the label is wrong.
    if (WIDE_CHARSET.test(charset)) {
      reasons.push(`${source} declares ${label} but the bytes are 8-bit`);
      continue;
    }
    if (!iconv.encodingExists(charset)) {
      reasons.push(`${source} declares the unknown charset "${label}"`);
      continue;
    }
    // Text that is valid UTF-8 and not plain ASCII is UTF-8 whatever the label says: single-byte
    // text almost never forms valid multi-byte sequences by chance.
    if (valid && hasHighBytes(bytes) && isSingleByte(charset)) {
      reasons.push(`${source} declares ${label} but the bytes are UTF-8`);
      return withReasons({ text: decodeUtf8(bytes), encoding: "utf-8" }, reasons);
    }
    const text = iconv.decode(bytes, charset);
    if (!hasUndefinedCharacters(text)) {
      return withReasons({ text, encoding: charset === "windows-1252" ? charset : label }, reasons);
    }
    reasons.push(`${source} declares ${label} but the bytes hold characters it does not define`);
  }

  if (valid) {
    const result: DecodedBody = { text: decodeUtf8(bytes), encoding: "utf-8" };
    if (reasons.length > 0) result.fallbackReason = `${reasons.join("; ")}: read as UTF-8`;
    return result;
  }
  const guessed = guessCharset(bytes);
  const why = reasons.length > 0 ? reasons.join("; ") : "no charset declared and the body is not valid UTF-8";
  return {
    text: iconv.decode(bytes, guessed),
    encoding: guessed,
    fallbackReason: `${why}: read as ${guessed}, the likeliest by its letters`,
  };
}

function withReasons(result: DecodedBody, reasons: string[]): DecodedBody {
  if (reasons.length > 0) result.fallbackReason = `${reasons.join("; ")}: read as ${result.encoding}`;
  return result;
}

/**
 * The charset a browser reads for a label (the WHATWG Encoding Standard): ISO-8859-1, Latin-1
 * and US-ASCII all mean windows-1252, which only adds letters and quotes where those leave C1
 * controls.
 */
function browserCharset(label: string): string {
  const name = label.replace(/_/g, "-");
  if (LATIN1_LABELS.has(name)) return "windows-1252";
  if (name === "utf8" || name === "unicode-1-1-utf-8") return "utf-8";
  return name;
}

const LATIN1_LABELS = new Set([
  "iso-8859-1",
  "iso8859-1",
  "latin1",
  "latin-1",
  "l1",
  "cp819",
  "ibm819",
  "iso-ir-100",
  "us-ascii",
  "ascii",
  "ansi-x3.4-1968",
  "iso-8859-1:1987",
  "cp1252",
  "x-cp1252",
  "windows-1252",
]);

function isSingleByte(charset: string): boolean {
  return /^(windows-125\d|cp125\d|koi8|iso-?8859|latin|mac|ibm|cp\d)/.test(charset);
}

function hasHighBytes(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

// U+FFFD is what iconv gives for a byte the charset leaves undefined; C1 controls never occur in
// text (they are windows-125x letters read through the wrong table).
const UNDEFINED_CHARACTER = /[\uFFFD\u0080-\u009F]/;

function hasUndefinedCharacters(text: string): boolean {
  return UNDEFINED_CHARACTER.test(text);
}

function sniffWide(bytes: Buffer): string | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x3c && b1 === 0 && b2 === 0 && b3 === 0) return "utf-32le";
  if (b0 === 0 && b1 === 0 && b2 === 0 && b3 === 0x3c) return "utf-32be";
  if (b0 === 0x3c && b1 === 0) return "utf-16le";
  if (b0 === 0 && b1 === 0x3c) return "utf-16be";
  return undefined;
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

function decodeUtf8(bytes: Buffer): string {
  const text = demoronize(bytes.toString("utf8"));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const C1_CONTROL = /[\u0080-\u009F]/g;

/**
 * C1 controls in UTF-8 text are windows-1252 punctuation converted byte for byte by some CMS
 * (`don\u0092t` for `don’t`): they are read as the windows-1252 characters they stood for, as
 * browsers do for numeric references (rssParserFeed.ts applies it to those, since sax reads
 * `&#146;` as U+0092). The five bytes windows-1252 leaves undefined stay.
 */
export function demoronize(text: string): string {
  if (!C1_CONTROL.test(text)) return text;
  C1_CONTROL.lastIndex = 0;
  return text.replace(C1_CONTROL, (c) => {
    const mapped = iconv.decode(Buffer.from([c.charCodeAt(0)]), "windows-1252");
    return mapped === "\uFFFD" ? c : mapped;
  });
}
