import iconv from "iconv-lite";

/**
 * The single-byte charsets an undeclared (or wrongly declared) feed of this region is in: old
 * Russian-language sites in windows-1251 or KOI8-R, Western European ones in windows-1252.
 */
export const GUESSED_CHARSETS = ["windows-1251", "koi8-r", "windows-1252"] as const;
export type GuessedCharset = (typeof GUESSED_CHARSETS)[number];

/** Enough text to judge; a feed states its charset's letters many times over in 64 KB. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Picks the charset among GUESSED_CHARSETS under which the bytes read most like natural text.
 * A small letter model, not a dictionary: in real text a Cyrillic letter sits beside Cyrillic
 * letters and is mostly lower case, an accented Latin letter sits inside a word of plain Latin
 * letters, and box-drawing or control characters do not occur. Reading KOI8-R as windows-1251
 * gives mostly capitals inside words; Russian read as windows-1252 gives runs of accented
 * letters; Portuguese read as windows-1251 gives Cyrillic letters inside Latin words. Pure.
 */
export function guessSingleByteCharset(bytes: Buffer): GuessedCharset {
  const sample = bytes.length > SAMPLE_BYTES ? bytes.subarray(0, SAMPLE_BYTES) : bytes;
  let best: GuessedCharset = GUESSED_CHARSETS[0];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const charset of GUESSED_CHARSETS) {
    const score = plausibility(iconv.decode(sample, charset));
    if (score > bestScore) {
      best = charset;
      bestScore = score;
    }
  }
  return best;
}

type CharClass = "ascii-letter" | "cyr-lower" | "cyr-upper" | "latin" | "punct" | "bad" | "other" | "plain";

function classify(code: number): CharClass {
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return "ascii-letter";
  if (code < 0x80) return "plain";
  if ((code >= 0x430 && code <= 0x45f) || (code >= 0x4a0 && code <= 0x4ff && code % 2 === 1))
    return "cyr-lower";
  if ((code >= 0x400 && code <= 0x42f) || (code >= 0x4a0 && code <= 0x4ff)) return "cyr-upper";
  if (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) return "latin";
  if (
    (code >= 0x2010 && code <= 0x2026) ||
    code === 0xab ||
    code === 0xbb ||
    code === 0xa0 ||
    code === 0xa9 ||
    code === 0xb0 ||
    code === 0x2116 ||
    code === 0x20ac
  ) {
    return "punct";
  }
  if (code === 0xfffd || (code >= 0x80 && code <= 0x9f) || (code >= 0x2500 && code <= 0x25ff)) return "bad";
  return "other";
}

/** Average plausibility of the non-ASCII characters of `text`; higher reads more like language. */
function plausibility(text: string): number {
  let score = 0;
  let count = 0;
  let prev: CharClass = "plain";
  let current: CharClass = text.length > 0 ? classify(text.charCodeAt(0)) : "plain";
  for (let i = 0; i < text.length; i++) {
    const next: CharClass = i + 1 < text.length ? classify(text.charCodeAt(i + 1)) : "plain";
    if (current !== "plain" && current !== "ascii-letter") {
      count++;
      score += charScore(prev, current, next);
    }
    prev = current;
    current = next;
  }
  return count === 0 ? 0 : score / count;
}

function isCyrillic(c: CharClass): boolean {
  return c === "cyr-lower" || c === "cyr-upper";
}

function charScore(prev: CharClass, c: CharClass, next: CharClass): number {
  const besideAscii = prev === "ascii-letter" || next === "ascii-letter";
  switch (c) {
    case "cyr-lower":
      return besideAscii ? -1 : 1;
    case "cyr-upper":
      if (besideAscii) return -1;
      if (next === "cyr-lower") return 1;
      // A capital after a lower-case letter inside a word: the cases are swapped (KOI8-R).
      if (prev === "cyr-lower") return -1;
      return isCyrillic(next) || isCyrillic(prev) ? 0.3 : 0;
    case "latin":
      if (besideAscii) return 1;
      return prev === "latin" && next === "latin" ? -1 : 0;
    case "punct":
      return 0.5;
    case "bad":
      return -3;
    default:
      return -0.5;
  }
}
