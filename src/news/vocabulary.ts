/**
 * Loads the editable vocabularies under data/vocabulary/, validates them with zod, and compiles
 * them into token matchers. Loading happens once per process (sync, cached); a broken file fails
 * loudly with the file name and the path of the bad entry, because a silently skipped pattern would
 * quietly change which stories subscribers get.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { foldText, type MatchToken, matchKey, tokenizeForMatching } from "./text.js";
import { TOPIC_IDS, type TopicId } from "./topicIds.js";
import type { FeedLanguage } from "./types.js";

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
// space two-letter exact words are the shortest that stay unambiguous ("рк", "c5", "ai").
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
  if (first.key.length < MIN_FIRST_KEY_LENGTH) {
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
// Validation

const patternSchema = z.string().superRefine((source, ctx) => {
  const compiled = compilePattern(source);
  if (typeof compiled === "string")
    ctx.addIssue({ code: "custom", message: `pattern "${source}": ${compiled}` });
});
const patternList = z.array(patternSchema);

const countrySchema = z.object({
  label: z.string().min(1),
  name: patternList,
  leader: patternList,
  institution: patternList,
  capital: patternList,
  demonym: patternList,
  place: patternList,
  selfReference: patternList,
});

const ownCountry = z.enum(["kz", "uz"]);

const relevanceSchema = z.object({
  countries: z.object({ kz: countrySchema, uz: countrySchema }),
  outletPerspective: z.partialRecord(
    z.enum(["ru", "kk", "uz-Latn", "uz-Cyrl", "en"]),
    z.object({ country: ownCountry, headOfState: patternList, partnerForms: patternList }),
  ),
  thirdCountryRoles: z.object({
    before: z.array(z.string().min(1)),
    after: z.array(z.string().min(1)),
    endings: z.array(z.string().min(1)),
  }),
  bilateralPhrases: patternList,
  jointEntities: patternList,
  checkpoints: z.object({ unique: patternList, needsBorderContext: patternList }),
  borderContext: patternList,
  thirdCountries: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, "third-country ids are lower-case ascii"),
    z.object({ label: z.string().min(1), centralAsian: z.boolean(), patterns: patternList.min(1) }),
  ),
  multilateral: z.object({ formats: patternList, regionLists: patternList, region: patternList }),
  bilateralMeeting: z.object({ sidelines: patternList, meeting: patternList }),
  interaction: patternList,
  smallFormat: patternList,
  exclusions: z.record(
    z.string().min(1),
    z.union([patternList, z.object({ patterns: patternList, unless: patternList })]),
  ),
  diaspora: patternList,
  stateParticipants: patternList,
  comparison: patternList,
  falseFriends: patternList,
});

const languageKeywords = z.object({
  ru: patternList,
  kk: patternList,
  "uz-Latn": patternList,
  "uz-Cyrl": patternList,
  en: patternList,
});

const topicIdWithKeywords = z.enum(TOPIC_IDS.filter((id) => id !== "other") as [TopicId, ...TopicId[]]);

const topicsSchema = z.object({
  topics: z.partialRecord(
    topicIdWithKeywords,
    z.object({ keywords: languageKeywords, categoryHints: patternList }),
  ),
  stateRelations: languageKeywords,
});

export type RelevanceVocabularyData = z.infer<typeof relevanceSchema>;
export type TopicsVocabularyData = z.infer<typeof topicsSchema>;
type OutletPerspectiveData = NonNullable<RelevanceVocabularyData["outletPerspective"]["kk"]>;

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

function parseWith<S extends z.ZodType>(schema: S, data: unknown, file: string): z.infer<S> {
  const result = schema.safeParse(withoutComments(data));
  if (!result.success) throw new VocabularyError(describeIssues(file, result.error, data));
  return result.data;
}

function readJson(url: URL): unknown {
  const file = fileURLToPath(url);
  let text: string;
  try {
    text = readFileSync(url, "utf8");
  } catch (err) {
    throw new VocabularyError(`Cannot read vocabulary file ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new VocabularyError(`Vocabulary file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Compiled relevance vocabulary

/** The two countries whose relations the bot follows. */
export type OwnCountry = "kz" | "uz";

/** How much a country mention says about the story being about that country. */
export type SignalStrength =
  | "name"
  | "leader"
  | "institution"
  | "selfReference"
  | "capital"
  | "demonym"
  | "place";

/** What a relevance pattern stands for. */
export type RelevanceLabel =
  | { kind: "country"; country: OwnCountry; strength: SignalStrength }
  | { kind: "third"; id: string }
  | { kind: "bilateralPhrase" }
  | { kind: "jointEntity" }
  | { kind: "checkpoint"; needsBorderContext: boolean }
  | { kind: "borderContext" }
  | { kind: "multilateral"; level: "formats" | "regionLists" | "region" }
  | { kind: "bilateralMeeting"; level: "sidelines" | "meeting" }
  | { kind: "interaction" }
  | { kind: "smallFormat" }
  | { kind: "exclusion"; group: string }
  | { kind: "exclusionUnless"; group: string }
  | { kind: "diaspora" }
  | { kind: "stateParticipant" }
  | { kind: "comparison" }
  | { kind: "falseFriend" };

/** How an outlet writing in a given language refers to its own country implicitly. */
export type OutletPerspective = {
  country: OwnCountry;
  /** An unnamed President or head of state. */
  headOfState: Matcher<true>;
  /** The other country in a form that implies the outlet's own country ("Өзбекстанмен", "Qozog'iston bilan"). */
  partnerForms: Matcher<true>;
};

/** Folded words around a third country that make it a counterpart rather than a co-party. */
export type ThirdCountryRoles = {
  before: ReadonlySet<string>;
  after: ReadonlySet<string>;
  endings: readonly string[];
};

export type RelevanceVocabulary = {
  matcher: Matcher<RelevanceLabel>;
  perspectives: Partial<Record<FeedLanguage, OutletPerspective>>;
  thirdCountryRoles: ThirdCountryRoles;
  countryLabels: Record<OwnCountry, string>;
  thirdCountries: ReadonlyMap<string, { label: string; centralAsian: boolean }>;
};

const STRENGTHS: readonly SignalStrength[] = [
  "name",
  "leader",
  "institution",
  "selfReference",
  "capital",
  "demonym",
  "place",
];

/** Validates and compiles relevance vocabulary data; `file` names the source in error messages. */
export function compileRelevanceVocabulary(data: unknown, file: string): RelevanceVocabulary {
  const v = parseWith(relevanceSchema, data, file);
  const entries: Array<{ source: string; label: RelevanceLabel }> = [];
  const add = (list: readonly string[], label: RelevanceLabel) => {
    for (const source of list) entries.push({ source, label });
  };
  for (const country of ["kz", "uz"] as const) {
    for (const strength of STRENGTHS)
      add(v.countries[country][strength], { kind: "country", country, strength });
  }
  for (const [id, third] of Object.entries(v.thirdCountries)) add(third.patterns, { kind: "third", id });
  add(v.bilateralPhrases, { kind: "bilateralPhrase" });
  add(v.jointEntities, { kind: "jointEntity" });
  add(v.checkpoints.unique, { kind: "checkpoint", needsBorderContext: false });
  add(v.checkpoints.needsBorderContext, { kind: "checkpoint", needsBorderContext: true });
  add(v.borderContext, { kind: "borderContext" });
  add(v.multilateral.formats, { kind: "multilateral", level: "formats" });
  add(v.multilateral.regionLists, { kind: "multilateral", level: "regionLists" });
  add(v.multilateral.region, { kind: "multilateral", level: "region" });
  add(v.bilateralMeeting.sidelines, { kind: "bilateralMeeting", level: "sidelines" });
  add(v.bilateralMeeting.meeting, { kind: "bilateralMeeting", level: "meeting" });
  add(v.interaction, { kind: "interaction" });
  add(v.smallFormat, { kind: "smallFormat" });
  for (const [group, entry] of Object.entries(v.exclusions)) {
    const { patterns, unless } = Array.isArray(entry) ? { patterns: entry, unless: [] } : entry;
    add(patterns, { kind: "exclusion", group });
    add(unless, { kind: "exclusionUnless", group });
  }
  add(v.diaspora, { kind: "diaspora" });
  add(v.stateParticipants, { kind: "stateParticipant" });
  add(v.comparison, { kind: "comparison" });
  add(v.falseFriends, { kind: "falseFriend" });

  const perspectives: Partial<Record<FeedLanguage, OutletPerspective>> = {};
  for (const [language, p] of Object.entries(v.outletPerspective) as Array<
    [FeedLanguage, OutletPerspectiveData]
  >) {
    if (p === undefined) continue;
    perspectives[language] = {
      country: p.country,
      headOfState: new Matcher(p.headOfState.map((source) => ({ source, label: true as const }))),
      partnerForms: new Matcher(p.partnerForms.map((source) => ({ source, label: true as const }))),
    };
  }
  const fold = (list: string[]) => list.map((w) => matchKey(foldText(w)));
  return {
    matcher: new Matcher(entries),
    perspectives,
    thirdCountryRoles: {
      before: new Set(fold(v.thirdCountryRoles.before)),
      after: new Set(fold(v.thirdCountryRoles.after)),
      endings: fold(v.thirdCountryRoles.endings),
    },
    countryLabels: { kz: v.countries.kz.label, uz: v.countries.uz.label },
    thirdCountries: new Map(
      Object.entries(v.thirdCountries).map(([id, t]) => [
        id,
        { label: t.label, centralAsian: t.centralAsian },
      ]),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Compiled topics vocabulary

export type TopicsVocabulary = {
  /** Topic keywords over title and summary. */
  keywords: Matcher<TopicId>;
  /** Feed category hints, matched over one category at a time. */
  categoryHints: Matcher<TopicId>;
  /** Words that make an unmatched story a diplomacy story rather than "other". */
  stateRelations: Matcher<true>;
};

/** Validates and compiles topics vocabulary data; `file` names the source in error messages. */
export function compileTopicsVocabulary(data: unknown, file: string): TopicsVocabulary {
  const v = parseWith(topicsSchema, data, file);
  const keywords: Array<{ source: string; label: TopicId }> = [];
  const hints: Array<{ source: string; label: TopicId }> = [];
  for (const [topic, entry] of Object.entries(v.topics) as Array<[TopicId, (typeof v.topics)[TopicId]]>) {
    if (entry === undefined) continue;
    for (const list of Object.values(entry.keywords)) {
      for (const source of list) keywords.push({ source, label: topic });
    }
    for (const source of entry.categoryHints) hints.push({ source, label: topic });
  }
  const state = Object.values(v.stateRelations).flatMap((list) =>
    list.map((source) => ({ source, label: true as const })),
  );
  return {
    keywords: new Matcher(keywords),
    categoryHints: new Matcher(hints),
    stateRelations: new Matcher(state),
  };
}

// ---------------------------------------------------------------------------------------------
// Loading (once per process)

const RELEVANCE_URL = new URL("../../data/vocabulary/relevance.json", import.meta.url);
const TOPICS_URL = new URL("../../data/vocabulary/topics.json", import.meta.url);

let relevanceCache: RelevanceVocabulary | undefined;
let topicsCache: TopicsVocabulary | undefined;

/** Reads, validates and compiles a relevance vocabulary file. Throws {@link VocabularyError}. */
export function loadRelevanceVocabulary(url: URL = RELEVANCE_URL): RelevanceVocabulary {
  return compileRelevanceVocabulary(readJson(url), fileURLToPath(url));
}

/** Reads, validates and compiles a topics vocabulary file. Throws {@link VocabularyError}. */
export function loadTopicsVocabulary(url: URL = TOPICS_URL): TopicsVocabulary {
  return compileTopicsVocabulary(readJson(url), fileURLToPath(url));
}

/** The project's relevance vocabulary, loaded on first use and cached for the process. */
export function relevanceVocabulary(): RelevanceVocabulary {
  relevanceCache ??= loadRelevanceVocabulary();
  return relevanceCache;
}

/** The project's topics vocabulary, loaded on first use and cached for the process. */
export function topicsVocabulary(): TopicsVocabulary {
  topicsCache ??= loadTopicsVocabulary();
  return topicsCache;
}
