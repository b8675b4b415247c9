/**
 * A subscriber's own keywords: up to 10 words or phrases (a company, a city, a project) in any of
 * the five story languages. Validated here, then matched with the pipeline's own Matcher, so a
 * keyword folds, transliterates and matches word endings the way the vocabularies do. Pure.
 */
import { compilePattern, Matcher } from "../news/matcher.js";
import { foldText, tokenizeForMatching } from "../news/text.js";

export const MAX_KEYWORDS = 10;
export const MIN_KEYWORD_LENGTH = 2;
export const MAX_KEYWORD_LENGTH = 40;
export const MAX_KEYWORD_WORDS = 4;

/** Why one entry was refused; each has a locale key `keyword-error-<reason>`. */
export type KeywordProblem =
  | "too-short"
  | "too-long"
  | "too-many-words"
  | "syntax"
  | "no-letters"
  | "too-many";

export type KeywordParse = {
  /** Accepted keywords, folded (lower case, spaces collapsed), without duplicates, in input order. */
  keywords: string[];
  /** Refused entries as typed, with the reason. */
  refused: Array<{ entry: string; problem: KeywordProblem }>;
};

// Letters of every script, combining marks, digits, spaces, apostrophes (Uzbek oʻ/gʻ), dashes and
// dots (Kun.uz). Anything else, `*` above all, is pattern or markup syntax a keyword has no use for.
const ALLOWED = /^[\p{L}\p{M}\p{N} '’ʻʼ`.-]+$/u;

/**
 * Reads a list typed by a subscriber: entries separated by commas, semicolons or new lines.
 * Keeps at most MAX_KEYWORDS, counting `existing` ones first when adding.
 */
export function parseKeywords(input: string, existing: readonly string[] = []): KeywordParse {
  const keywords = [...existing];
  const refused: KeywordParse["refused"] = [];
  for (const raw of input.split(/[,;\n]+/)) {
    const entry = raw.replace(/\s+/g, " ").trim();
    if (entry.length === 0) continue;
    const problem = keywordProblem(entry);
    if (problem) {
      refused.push({ entry: entry.slice(0, MAX_KEYWORD_LENGTH + 10), problem });
      continue;
    }
    const keyword = entry.toLowerCase();
    if (keywords.includes(keyword)) continue;
    if (keywords.length >= MAX_KEYWORDS) {
      refused.push({ entry, problem: "too-many" });
      continue;
    }
    keywords.push(keyword);
  }
  return { keywords, refused };
}

function keywordProblem(entry: string): KeywordProblem | undefined {
  if (!ALLOWED.test(entry)) return "syntax";
  if (entry.length > MAX_KEYWORD_LENGTH) return "too-long";
  const folded = foldText(entry);
  if (folded.replace(/ /g, "").length < MIN_KEYWORD_LENGTH) return folded ? "too-short" : "no-letters";
  if (folded.split(" ").length > MAX_KEYWORD_WORDS) return "too-many-words";
  if (typeof compilePattern(keywordPattern(entry)) === "string") return "too-short";
  return undefined;
}

// Word endings change with case and number in all five languages (Ташкент, Ташкенте; Toshkentda):
// a word of five letters or more matches any word starting with its stem, its final vowels cut,
// never shorter than four letters so that a stem does not collide with unrelated words.
const STEM_FROM_LENGTH = 5;
const MIN_STEM_LENGTH = 4;
const FINAL_VOWEL = /[aeiouy]$/;
const FINAL_VOWEL_ANY_SCRIPT = /[aeiouyаеёиоуыэюяьйәіөүұ]$/u;

function stemOf(word: string, finalVowel: RegExp): string {
  let stem = word;
  while (stem.length > MIN_STEM_LENGTH && finalVowel.test(stem)) stem = stem.slice(0, -1);
  return stem;
}

/**
 * The Matcher pattern of a keyword: each word by its match key (folded, in Latin), a long word as
 * a stem (`tashkent*`), the words of a dashed compound kept joined.
 */
export function keywordPattern(keyword: string): string {
  const tokens = tokenizeForMatching(keyword);
  const words: string[] = [];
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    const joined = next !== undefined && token.compound !== -1 && next.compound === token.compound;
    // Inside a dashed compound only its last part may be a stem: the pattern syntax puts `*` at a word's end.
    const stem = !joined && token.key.length >= STEM_FROM_LENGTH;
    words.push(stem ? `${stemOf(token.key, FINAL_VOWEL)}*` : token.key, joined ? "-" : " ");
  });
  return words.join("").trim();
}

/**
 * A keyword as the bot understood it, for showing back: each long word cut to its stem and
 * followed by "…" ("железн… дорог…"), in the script it was typed in.
 */
export function keywordAsUnderstood(keyword: string): string {
  return foldText(keyword)
    .split(" ")
    .map((word) => {
      if (matchKeyLength(word) < STEM_FROM_LENGTH) return word;
      return `${stemOf(word, FINAL_VOWEL_ANY_SCRIPT)}…`;
    })
    .join(" ");
}

function matchKeyLength(word: string): number {
  return tokenizeForMatching(word).reduce((n, t) => Math.max(n, t.key.length), 0);
}

/**
 * Which keywords match one story, by the texts it was told in (title and summary of each telling).
 * Made once per fan-out walk: each keyword is compiled and answered once, however many
 * subscribers follow it.
 */
export class KeywordMatcher {
  private readonly tokens: ReadonlyArray<ReturnType<typeof tokenizeForMatching>>;
  private readonly answers = new Map<string, boolean>();

  constructor(texts: readonly string[]) {
    this.tokens = texts.map((text) => tokenizeForMatching(text));
  }

  /** True when `keyword` matches any of the texts. */
  matches(keyword: string): boolean {
    const known = this.answers.get(keyword);
    if (known !== undefined) return known;
    const matcher = new Matcher([{ source: keywordPattern(keyword), label: keyword }]);
    const found = this.tokens.some((tokens) => matcher.match(tokens).length > 0);
    this.answers.set(keyword, found);
    return found;
  }

  /** The first of `keywords` that matches, or undefined. */
  firstMatch(keywords: readonly string[]): string | undefined {
    return keywords.find((k) => this.matches(k));
  }
}
