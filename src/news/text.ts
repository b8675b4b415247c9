/**
 * Text folding shared by the news pipeline (relevance, topics, dedupe).
 *
 * Feeds write the same word in many ways: Uzbek Latin alone has six apostrophe characters for
 * the letters oʻ and gʻ, Russian outlets write ё or е at will, and headlines mix quotes, dashes and
 * non-breaking spaces. Everything that compares text goes through these functions so that the
 * comparisons agree with each other.
 */

/** The one apostrophe every variant folds to. */
export const APOSTROPHE = "'";

// ' ‘ ’ ʻ ʼ ` ´ ʹ ʽ ′ ＇ — all seen in Uzbek Latin text for the letters oʻ/gʻ and the tutuq belgisi.
const APOSTROPHE_VARIANTS = /[\u0027\u2018\u2019\u02BB\u02BC\u0060\u00B4\u02B9\u02BD\u2032\uFF07]/g;
// Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus.
const DASH_VARIANTS = /[\u002D\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g;
// Soft hyphens and zero-width characters split words invisibly; they must vanish, not become spaces.
const INVISIBLES = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const NOT_WORD_CHAR = /[^\p{L}\p{M}\p{N}'-]+/gu;
// An apostrophe is part of a word only after a letter; a leading one is a quotation mark.
const LEADING_APOSTROPHE = /(?<!\p{L})'/gu;
// A trailing apostrophe is a letter only after o or g (toʻ, togʻ); elsewhere it closes a quotation.
const TRAILING_APOSTROPHE = /(?<![og])'(?!\p{L})/gu;
// A dash joins a compound only between two word characters ("казахстанско-узбекский", "Nur-Sultan").
const LOOSE_DASH = /(?<![\p{L}\p{N}])-|-(?![\p{L}\p{N}])/gu;
const SPACES = /\s+/g;

// Lower-casing first keeps one normalisation pass: NFKC of lower-cased text is already lower case
// for every script feeds use.
function fold(s: string, keepHyphens: boolean): string {
  let out = s.toLowerCase().normalize("NFKC");
  out = out.replace(INVISIBLES, "").replace(/ё/g, "е").replace(APOSTROPHE_VARIANTS, APOSTROPHE);
  out = out.replace(DASH_VARIANTS, "-").replace(NOT_WORD_CHAR, " ");
  out = out.replace(LEADING_APOSTROPHE, " ").replace(TRAILING_APOSTROPHE, " ");
  out = keepHyphens ? out.replace(LOOSE_DASH, " ") : out.replace(/-/g, " ");
  return out.replace(SPACES, " ").trim();
}

/**
 * Folds text for comparison: NFKC, lower case, every apostrophe variant → `'`, ё → е, every
 * punctuation mark and dash → space, runs of whitespace → one space, trimmed. Letters of all scripts
 * (Cyrillic with Kazakh and Uzbek letters, Latin with diacritics) and digits are kept as they are.
 * Idempotent: `foldText(foldText(s)) === foldText(s)`.
 */
export function foldText(s: string): string {
  return fold(s, false);
}

/**
 * Like {@link foldText}, but a dash between two word characters stays as `-`, so compounds such as
 * "казахстанско-узбекский" or "o'zbek-qozoq" remain one token and can be told apart from a list
 * ("o'zbek, qozoq").
 */
export function foldTextKeepingHyphens(s: string): string {
  return fold(s, true);
}

// Uzbek conventions where the three languages disagree (ж → j, х → x, ғ → g'), because the main
// use is matching Uzbek Cyrillic against Uzbek Latin; Kazakh letters map to their nearest Uzbek
// Latin sound so "Қазақстан" and "Qozog'iston" at least share their consonants.
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ё: "yo",
  ж: "j",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "x",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "sh",
  ъ: "'",
  ы: "y",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
  // Kazakh
  ә: "a",
  ғ: "g'",
  қ: "q",
  ң: "ng",
  ө: "o",
  ұ: "u",
  ү: "u",
  һ: "h",
  і: "i",
  // Uzbek
  ў: "o'",
  ҳ: "h",
  // Ukrainian and Belarusian letters that turn up in names
  є: "ye",
  ї: "yi",
  ґ: "g",
};

const CYRILLIC_LETTER = /[\u0400-\u04FF]/g;
const HAS_CYRILLIC = /[\u0400-\u04FF]/;

/**
 * Transliterates Cyrillic letters (Russian, Kazakh and Uzbek alphabets) to Latin, leaving every other
 * character untouched. Follows Uzbek Latin conventions (ш → sh, ч → ch, ж → j, х → x, ў → o', ғ → g',
 * қ → q), so Uzbek Cyrillic and Uzbek Latin text of the same headline become nearly identical after
 * {@link foldText}. Upper-case letters keep their case on the first output letter ("Ш" → "Sh").
 * Signature and output are stable: other modules compare its results across runs.
 */
export function toLatin(s: string): string {
  if (!HAS_CYRILLIC.test(s)) return s;
  return s.replace(CYRILLIC_LETTER, (ch) => {
    const lower = ch.toLowerCase();
    const latin = CYRILLIC_TO_LATIN[lower];
    if (latin === undefined) return ch;
    if (lower === ch || latin.length === 0) return latin;
    return latin.charAt(0).toUpperCase() + latin.slice(1);
  });
}

const COMBINING_MARKS = /\p{M}/gu;

/**
 * The key a single folded token is matched on: transliterated to Latin, apostrophes dropped, and
 * diacritics removed, so "Ўзбекистонга", "O‘zbekistonga", "Ozbekistonga" and "Özbekstan"'s stem all
 * compare equal where their spellings allow. Expects a token of {@link foldText} output.
 */
export function matchKey(token: string): string {
  const cached = keyCache.get(token);
  if (cached !== undefined) return cached;
  let key = toLatin(token).replace(/'/g, "");
  if (NON_ASCII.test(key)) key = key.normalize("NFD").replace(COMBINING_MARKS, "");
  // News vocabulary repeats heavily; a bounded cache keeps classification of large batches cheap.
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(token, key);
  return key;
}

const NON_ASCII = /[^\u0020-\u007E]/;
const KEY_CACHE_LIMIT = 50_000;
const keyCache = new Map<string, string>();

/** Splits text into folded tokens (compounds are split at their dashes). */
export function tokenize(s: string): string[] {
  const folded = foldText(s);
  return folded.length === 0 ? [] : folded.split(" ");
}

/** One token of {@link tokenizeForMatching}: its folded form, its match key and its compound group. */
export type MatchToken = {
  /** Folded surface form, for explanations. */
  readonly text: string;
  /** See {@link matchKey}. */
  readonly key: string;
  /**
   * Index of the first token of the dashed compound this token belongs to ("казахстанско-узбекский"
   * yields two tokens sharing one group), or -1 when the token stood alone.
   */
  readonly compound: number;
};

/**
 * Tokenises text for vocabulary matching: folded, compounds split into parts that remember they
 * were joined, each with its {@link matchKey}. The result is shared between calls with the same text
 * (a small cache), hence read-only.
 */
export function tokenizeForMatching(s: string): readonly MatchToken[] {
  // Relevance and topics tokenise the same title and lead one after the other.
  const cached = tokenCache.get(s);
  if (cached !== undefined) return cached;
  const tokens = tokenizeUncached(s);
  if (tokenCache.size >= TOKEN_CACHE_LIMIT) tokenCache.clear();
  tokenCache.set(s, tokens);
  return tokens;
}

const TOKEN_CACHE_LIMIT = 256;
const tokenCache = new Map<string, readonly MatchToken[]>();

function tokenizeUncached(s: string): MatchToken[] {
  const folded = foldTextKeepingHyphens(s);
  if (folded.length === 0) return [];
  const tokens: MatchToken[] = [];
  for (const word of folded.split(" ")) {
    const parts = word.split("-").filter((p) => p.length > 0);
    const group = parts.length > 1 ? tokens.length : -1;
    for (const part of parts) tokens.push({ text: part, key: matchKey(part), compound: group });
  }
  return tokens;
}
