/**
 * The one pattern matcher of the news pipeline: relevance, topics and dedupe compile their
 * vocabulary words with it, so a word written in a data file means the same thing everywhere
 * (see data/vocabulary/relevance.json "$comment" for the syntax). Also the one way to read and
 * validate a vocabulary file: errors are {@link VocabularyError}s that name the file and the entry.
 * Pure apart from {@link readJson}, which reads only when a caller first asks.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { errorText } from "../errorText.js";
import { type MatchToken, tokenizeForMatching } from "./text.js";

// ---------------------------------------------------------------------------------------------
// Patterns

/** One word of a compiled pattern. */
type PatternWord = {
  key: string;
  prefix: boolean;
  /** The next word must be the next part of the same dashed compound. */
  joinedToNext: boolean;
};

/** A pattern compiled for matching, with the label of the list it came from. */
type CompiledPattern<L> = { source: string; words: PatternWord[]; label: L };

/** Where a pattern matched: token indices [start, end) of the tokens it was run on. */
export type PatternMatch<L> = { label: L; source: string; start: number; end: number; text: string };

// A first word shorter than this would be compared with almost every token, and in transliterated
// space two-letter exact words are the shortest that stay unambiguous ("рк", "c5", "ai"). A one-letter
// exact word may open a phrase: abbreviations written with a slash or dots ("ж/д", "ж.д.") fold to
// single letters, and the words after it keep the phrase specific.
const MIN_FIRST_KEY_LENGTH = 2;

/**
 * Compiles one pattern string (see data/vocabulary/relevance.json "$comment" for the syntax), or
 * returns an error message saying why it cannot be used.
 */
export function compilePattern(source: string): PatternWord[] | string {
  const words: PatternWord[] = [];
  for (const raw of source.trim().split(/\s+/)) {
    const prefix = raw.endsWith("*");
    const tokens = tokenizeForMatching(prefix ? raw.slice(0, -1) : raw);
    if (tokens.length === 0) continue;
    tokens.forEach((token, i) => {
      const next = tokens[i + 1];
      words.push({
        key: token.key,
        prefix: prefix && i === tokens.length - 1,
        joinedToNext: next !== undefined && token.compound !== -1 && token.compound === next.compound,
      });
    });
  }
  const first = words[0];
  if (first === undefined) return "has no letters or digits";
  const shortPhraseOpening = !first.prefix && words.length > 1;
  if (first.key.length < MIN_FIRST_KEY_LENGTH && !shortPhraseOpening) {
    return `its first word "${first.key}" is shorter than ${MIN_FIRST_KEY_LENGTH} letters after folding`;
  }
  return words;
}

type TrieNode<L> = { children: Map<string, TrieNode<L>>; prefixPatterns: CompiledPattern<L>[] };

/**
 * A set of labelled patterns compiled into one index; see {@link Matcher.match}. First words are
 * looked up in a map (exact words) and a character trie (stems), so the cost per token is its
 * length, not the size of the vocabulary.
 */
export class Matcher<L> {
  private readonly exact = new Map<string, CompiledPattern<L>[]>();
  private readonly trie: TrieNode<L> = { children: new Map(), prefixPatterns: [] };

  constructor(patterns: Iterable<{ source: string; label: L }>) {
    for (const { source, label } of patterns) {
      const words = compilePattern(source);
      // Validation has already rejected these; a programmatic caller gets the same message.
      if (typeof words === "string") throw new Error(`Pattern "${source}" ${words}`);
      const first = words[0];
      if (first === undefined) continue;
      const compiled = { source, words, label };
      if (first.prefix) this.trieNode(first.key).prefixPatterns.push(compiled);
      else {
        const list = this.exact.get(first.key);
        if (list === undefined) this.exact.set(first.key, [compiled]);
        else list.push(compiled);
      }
    }
  }

  private trieNode(key: string): TrieNode<L> {
    let node = this.trie;
    for (const ch of key) {
      let next = node.children.get(ch);
      if (next === undefined) {
        next = { children: new Map(), prefixPatterns: [] };
        node.children.set(ch, next);
      }
      node = next;
    }
    return node;
  }

  /** Every occurrence of every pattern in the tokens, in token order. Overlaps are all reported. */
  match(tokens: readonly MatchToken[]): PatternMatch<L>[] {
    const found: PatternMatch<L>[] = [];
    const consider = (pattern: CompiledPattern<L>, i: number) => {
      const end = matchAt(pattern.words, tokens, i);
      if (end >= 0)
        found.push({
          label: pattern.label,
          source: pattern.source,
          start: i,
          end,
          text: surface(tokens, i, end),
        });
    };
    for (let i = 0; i < tokens.length; i++) {
      const key = tokens[i]?.key;
      if (key === undefined) continue;
      for (const pattern of this.candidates(key)) consider(pattern, i);
    }
    return found;
  }

  // News reuses the same words all day, so each distinct word is looked up in the index once.
  private readonly candidateCache = new Map<string, readonly CompiledPattern<L>[]>();

  private candidates(key: string): readonly CompiledPattern<L>[] {
    const cached = this.candidateCache.get(key);
    if (cached !== undefined) return cached;
    const list: CompiledPattern<L>[] = [...(this.exact.get(key) ?? [])];
    let node: TrieNode<L> | undefined = this.trie;
    for (const ch of key) {
      node = node.children.get(ch);
      if (node === undefined) break;
      list.push(...node.prefixPatterns);
    }
    const result = list.length === 0 ? NO_CANDIDATES : list;
    if (this.candidateCache.size >= CANDIDATE_CACHE_LIMIT) this.candidateCache.clear();
    this.candidateCache.set(key, result);
    return result;
  }
}

const NO_CANDIDATES: readonly never[] = [];
const CANDIDATE_CACHE_LIMIT = 50_000;

/** The matched words as written (folded), compounds rejoined with their dash. */
function surface(tokens: readonly MatchToken[], start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    if (token === undefined) break;
    const joined = i > start && token.compound !== -1 && tokens[i - 1]?.compound === token.compound;
    text += (i === start ? "" : joined ? "-" : " ") + token.text;
  }
  return text;
}

function matchAt(words: readonly PatternWord[], tokens: readonly MatchToken[], start: number): number {
  for (let j = 0; j < words.length; j++) {
    const word = words[j];
    const token = tokens[start + j];
    if (word === undefined || token === undefined) return -1;
    if (word.prefix ? !token.key.startsWith(word.key) : token.key !== word.key) return -1;
    if (word.joinedToNext) {
      const next = tokens[start + j + 1];
      if (next === undefined || token.compound === -1 || next.compound !== token.compound) return -1;
    }
  }
  return start + words.length;
}

// ---------------------------------------------------------------------------------------------
// Reading and validating vocabulary files

/** Thrown when a vocabulary file cannot be read, parsed or validated; the message names the file and entry. */
export class VocabularyError extends Error {
  override readonly name = "VocabularyError";
}

function describeIssues(file: string, error: z.ZodError, data: unknown): string {
  const lines = error.issues.slice(0, 10).map((issue) => {
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    const value = valueAt(data, issue.path);
    const shown = typeof value === "string" ? ` (value "${value}")` : "";
    return `  at ${path.replace(/^\./, "") || "(root)"}${shown}: ${issue.message}`;
  });
  const more = error.issues.length > 10 ? `\n  … and ${error.issues.length - 10} more` : "";
  return `Invalid vocabulary file ${file}:\n${lines.join("\n")}${more}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

// "$comment" keys document the files for maintainers; they may sit in any object.
function withoutComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "$comment")
      .map(([key, v]) => [key, withoutComments(v)]),
  );
}

export function parseWith<S extends z.ZodType>(schema: S, data: unknown, file: string): z.infer<S> {
  const result = schema.safeParse(withoutComments(data));
  if (!result.success) throw new VocabularyError(describeIssues(file, result.error, data));
  return result.data;
}

export function readJson(url: URL): unknown {
  const file = fileURLToPath(url);
  let text: string;
  try {
    text = readFileSync(url, "utf8");
  } catch (err) {
    throw new VocabularyError(`Cannot read vocabulary file ${file}: ${errorText(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new VocabularyError(`Vocabulary file ${file} is not valid JSON: ${errorText(err)}`);
  }
}
