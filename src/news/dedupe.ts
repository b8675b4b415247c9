/**
 * Recognises the same event told by several outlets, with different headlines and possibly in
 * different languages and scripts (ru, kk, uz Latin, uz Cyrillic, en).
 *
 * A story is reduced to a fingerprint: a small set of terms drawn from its headline and the start
 * of its lead. A term is one of
 *   - a concept (`~gas`): any spelling in any language listed in data/vocabulary/concepts.json,
 *   - a number (`#1.5`): amounts, dates, percentages, written with a decimal comma or point,
 *   - a stem (`mirzi`): the first letters of any other word after transliteration to Latin, which
 *     is enough to match inflected forms and most spellings of a name across scripts.
 * Two fingerprints are compared with a weighted Jaccard index (and weighted containment for a short
 * headline against a long one). The decision leans to missing a merge: a wrong merge hides a
 * story from every subscriber, a missed one only shows it twice.
 *
 * Concept forms are compiled and matched by the pipeline's one {@link Matcher} (matcher.ts), so a
 * form means here what the same pattern means in the relevance and topic vocabularies.
 * Pure: no I/O beyond reading the vocabulary once, on first use, through the shared loader in
 * matcher.ts (a broken file is a VocabularyError naming the file and the entry).
 *
 * Size: about 400 lines, kept whole because fingerprinting and comparing share their thresholds
 * and term weights, which are tuned together (test/unit/news/dedupe.test.ts).
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import {
  compilePattern,
  Matcher,
  type PatternMatch,
  parseWith,
  readJson,
  VocabularyError,
} from "./matcher.js";
import { matchKey, tokenize, tokenizeForMatching } from "./text.js";
import type { TopicId } from "./topicIds.js";
import { isTopicId } from "./topicIds.js";

/** The part of a story that dedupe needs, kept in Redis for recent stories. */
export type StoryFingerprint = {
  storyId: string;
  /** The feed the story came from: two items of one feed are never merged. */
  feedId: string;
  /** ISO 8601: when the story was published (the event's time, for the window). */
  published: string;
  topics: TopicId[];
  /** Terms of the headline. */
  title: string[];
  /** Terms of the lead that are not in the headline (they count half). */
  lead: string[];
};

/** A recent story that tells the same event as the candidate. */
export type DuplicateMatch = {
  storyId: string;
  /** Weighted Jaccard similarity, 0..1. */
  score: number;
  /** Weighted containment of the smaller fingerprint in the larger, 0..1. */
  containment: number;
};

export type DedupeOptions = {
  /** Stories further apart than this (by publication time) are never merged. */
  windowHours: number;
};

export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = { windowHours: 48 };

/** Zod schema of a stored fingerprint, for validated reads. */
export const storyFingerprintSchema = z.object({
  storyId: z.string().min(1),
  feedId: z.string(),
  published: z.string(),
  topics: z.array(z.string()).transform((ts) => ts.filter(isTopicId)),
  title: z.array(z.string()),
  lead: z.array(z.string()),
});

// --- thresholds (tuned on the pairs in test/unit/news/dedupe.test.ts) ---

/** Similarity that merges when the two stories share a topic. */
const MERGE_SCORE_WITH_TOPIC = 0.42;
/** Containment that merges a short headline into a longer one that shares a topic… */
const MERGE_CONTAINMENT_WITH_TOPIC = 0.7;
/** …provided the shared evidence weighs at least this much (a few specific terms). */
const MIN_SHARED_WEIGHT = 4;
/** Without a shared topic only a near-identical wording merges. */
const MERGE_SCORE_WITHOUT_TOPIC = 0.65;
/** A fingerprint lighter than this (e.g. "Новости дня") is never merged with anything. */
const MIN_FINGERPRINT_WEIGHT = 3;
/** How many lead terms count: the first sentence or two carry the event, the rest is detail. */
const MAX_LEAD_TERMS = 16;
/** How much of the lead is read at all, so a full-text feed costs no more than a teaser. */
const MAX_LEAD_CHARS = 400;
// Shorter than this a "lead" is a stub ("Подробнее…", "Read more"), not the start of the story.
const MIN_LEAD_CHARS = 40;
/** Prefix length of a stem: enough for Russian and Uzbek inflections and transliteration variants. */
const STEM_LENGTH = 5;
const NUMBER_WEIGHT = 2;
const YEAR_WEIGHT = 0.5;
const STEM_WEIGHT = 1;
const LEAD_FACTOR = 0.5;

// --- vocabulary ---

const vocabularySchema = z.object({
  stopwords: z.array(z.string()),
  concepts: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9-]+$/),
      kind: z.enum(["place"]).optional(),
      weight: z.number().min(0).max(5),
      forms: z.array(z.string().min(1)).min(1),
    }),
  ),
});

/** A concept form's label: which concept, and how specific its first word is (for ties). */
type ConceptLabel = { concept: string; specificity: number };

type CompiledVocabulary = {
  stopwords: Set<string>;
  weights: Map<string, number>;
  /** Terms (`~id`) of concepts that are places: cities and third countries. */
  places: Set<string>;
  /** Every word form of every concept, compiled by the pipeline's one matcher (src/news/matcher.ts). */
  concepts: Matcher<ConceptLabel>;
  /** Single symbols (`$`, `%`) that stand for a concept. */
  symbols: Map<string, string>;
};

const SYMBOL = /^[^\p{L}\p{N}]+$/u;

function keysOf(text: string): string[] {
  return tokenize(text)
    .map(matchKey)
    .filter((k) => k.length > 0);
}

/**
 * Validates and compiles concept vocabulary data; `file` names the source in error messages.
 * Throws {@link VocabularyError}. Exported for tests that check a custom vocabulary.
 */
export function compileVocabulary(raw: unknown, file = "concepts vocabulary"): CompiledVocabulary {
  const vocabulary = parseWith(vocabularySchema, raw, file);
  const stopwords = new Set(vocabulary.stopwords.flatMap(keysOf));
  const weights = new Map<string, number>();
  const places = new Set<string>();
  const forms: Array<{ source: string; label: ConceptLabel }> = [];
  const symbols = new Map<string, string>();
  for (const concept of vocabulary.concepts) {
    weights.set(concept.id, concept.weight);
    if (concept.kind === "place") places.add(`~${concept.id}`);
    for (const form of concept.forms) {
      if (SYMBOL.test(form)) {
        symbols.set(form, concept.id);
        continue;
      }
      const words = compilePattern(form);
      if (typeof words === "string")
        throw new VocabularyError(
          `Invalid vocabulary file ${file}: form "${form}" of ${concept.id} ${words}`,
        );
      const first = words[0];
      if (first === undefined) continue;
      // An exact first word beats any stem, and a longer stem beats a shorter one.
      forms.push({
        source: form,
        label: {
          concept: concept.id,
          specificity: first.prefix ? first.key.length : Number.MAX_SAFE_INTEGER,
        },
      });
    }
  }
  return { stopwords, weights, places, concepts: new Matcher(forms), symbols };
}

const CONCEPTS_URL = new URL("../../data/vocabulary/concepts.json", import.meta.url);
let conceptsCache: CompiledVocabulary | undefined;

/** The project's concept vocabulary, loaded and validated on first use and cached for the process. */
function conceptVocabulary(): CompiledVocabulary {
  conceptsCache ??= compileVocabulary(readJson(CONCEPTS_URL), fileURLToPath(CONCEPTS_URL));
  return conceptsCache;
}

// --- terms ---

// A number with decimal or thousands separators; captured so split() keeps it.
const NUMBER_SPLIT = /(\d+(?:[.,]\d+)*)/;
const NUMBER_ONLY = /^\d+(?:[.,]\d+)*$/;
const YEAR = /^(19|20)\d\d$/;

/** "1,5" and "1.5" → "1.5"; "1,500" and "1,500,000" → thousands; "2025" stays. */
function canonicalNumber(raw: string): string {
  const parts = raw.split(/[.,]/);
  let value: number;
  if (parts.length === 1) value = Number(raw);
  else if (parts.length === 2 && !(raw.includes(",") && parts[1]?.length === 3)) {
    value = Number(`${parts[0]}.${parts[1]}`);
  } else value = Number(parts.join(""));
  return Number.isFinite(value) ? String(value) : raw;
}

function wordTerms(text: string, out: string[], vocab: CompiledVocabulary): void {
  const tokens = tokenizeForMatching(text);
  // At each word the longest concept form that starts there wins (then the most specific one), and
  // the words it covers are consumed, so "prime minister" is one concept, not "prime" and "minister".
  const longest = new Map<number, PatternMatch<ConceptLabel>>();
  for (const m of vocab.concepts.match(tokens)) {
    const best = longest.get(m.start);
    const better =
      best === undefined ||
      m.end > best.end ||
      (m.end === best.end && m.label.specificity > best.label.specificity);
    if (better) longest.set(m.start, m);
  }
  for (let i = 0; i < tokens.length; ) {
    const concept = longest.get(i);
    if (concept) {
      if ((vocab.weights.get(concept.label.concept) ?? 1) > 0) out.push(`~${concept.label.concept}`);
      i = concept.end;
      continue;
    }
    const key = tokens[i]?.key ?? "";
    i++;
    if (key.length < 3 || vocab.stopwords.has(key)) continue;
    out.push(key.slice(0, STEM_LENGTH));
  }
}

/**
 * The terms of a text, in order of appearance, without repeats: concepts (`~id`), numbers (`#n`)
 * and word stems. Exported for tests and for `--explain`.
 */
export function extractTerms(text: string, vocab: CompiledVocabulary = conceptVocabulary()): string[] {
  const out: string[] = [];
  const segments = text.split(NUMBER_SPLIT);
  for (const segment of segments) {
    if (segment.length === 0) continue;
    if (NUMBER_ONLY.test(segment)) {
      out.push(`#${canonicalNumber(segment)}`);
      continue;
    }
    for (const [symbol, concept] of vocab.symbols) {
      if (segment.includes(symbol) && (vocab.weights.get(concept) ?? 1) > 0) out.push(`~${concept}`);
    }
    wordTerms(segment, out, vocab);
  }
  return [...new Set(out)];
}

/** The weight of one term as evidence of the same event. */
function termWeight(term: string, vocab: CompiledVocabulary): number {
  if (term.startsWith("~")) return vocab.weights.get(term.slice(1)) ?? 1;
  if (term.startsWith("#")) return YEAR.test(term.slice(1)) ? YEAR_WEIGHT : NUMBER_WEIGHT;
  return STEM_WEIGHT;
}

/**
 * Computes the fingerprint of a story (or of an item about to become one). Deterministic: the same
 * story always gives the same fingerprint, so stored fingerprints stay comparable.
 */
export function fingerprintStory(story: {
  id: string;
  feedId: string;
  published: string;
  topics: readonly TopicId[];
  title: string;
  summary: string;
  /** The story's full text when the feed carries it: stands in for a missing or stub lead. */
  content?: string;
}): StoryFingerprint {
  const title = extractTerms(story.title);
  const inTitle = new Set(title);
  // Some feeds put everything in content:encoded and leave the description empty or a "Read more"
  // stub; the opening of the full text is then the lead. A real lead is kept as it is, so stored
  // fingerprints of such stories do not change.
  const leadText =
    story.summary.trim().length >= MIN_LEAD_CHARS ? story.summary : (story.content ?? story.summary);
  const lead = extractTerms(leadText.slice(0, MAX_LEAD_CHARS))
    .filter((t) => !inTitle.has(t))
    .slice(0, MAX_LEAD_TERMS);
  return {
    storyId: story.id,
    feedId: story.feedId,
    published: story.published,
    topics: [...story.topics],
    title,
    lead,
  };
}

type WeightedTerms = {
  weights: Map<string, number>;
  total: number;
  /** Figures of the headline (years excluded) and places it names: the veto evidence. */
  titleNumbers: Set<string>;
  titlePlaces: Set<string>;
};

// A cycle compares each candidate with every recent story: weigh each fingerprint once.
const weighedCache = new WeakMap<StoryFingerprint, WeightedTerms>();

function weigh(fp: StoryFingerprint, vocab: CompiledVocabulary): WeightedTerms {
  if (vocab !== conceptVocabulary()) return weighUncached(fp, vocab);
  let weighed = weighedCache.get(fp);
  if (!weighed) {
    weighed = weighUncached(fp, vocab);
    weighedCache.set(fp, weighed);
  }
  return weighed;
}

function weighUncached(fp: StoryFingerprint, vocab: CompiledVocabulary): WeightedTerms {
  const weights = new Map<string, number>();
  let total = 0;
  const titleNumbers = new Set<string>();
  const titlePlaces = new Set<string>();
  for (const term of fp.title) {
    const w = termWeight(term, vocab);
    weights.set(term, w);
    total += w;
    if (term.startsWith("#") && !YEAR.test(term.slice(1))) titleNumbers.add(term);
    if (vocab.places.has(term)) titlePlaces.add(term);
  }
  for (const term of fp.lead) {
    if (weights.has(term)) continue;
    const w = termWeight(term, vocab) * LEAD_FACTOR;
    weights.set(term, w);
    total += w;
  }
  return { weights, total, titleNumbers, titlePlaces };
}

/** True when both sets are non-empty and share nothing. */
function disjoint(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  for (const x of a) if (b.has(x)) return false;
  return true;
}

/** Topics shared by both, ignoring the catch-all `other` unless both have nothing else. */
function topicsOverlap(a: readonly TopicId[], b: readonly TopicId[]): boolean {
  const specificA = a.filter((t) => t !== "other");
  const specificB = b.filter((t) => t !== "other");
  if (specificA.length === 0 && specificB.length === 0) return a.length > 0 && b.length > 0;
  return specificA.some((t) => specificB.includes(t));
}

/** Similarity of two fingerprints, and whether they tell the same event. Exported for tests. */
export function compareFingerprints(
  a: StoryFingerprint,
  b: StoryFingerprint,
  vocab: CompiledVocabulary = conceptVocabulary(),
): { score: number; containment: number; shared: number; same: boolean; why: string } {
  const wa = weigh(a, vocab);
  const wb = weigh(b, vocab);
  let shared = 0;
  let union = wa.total;
  for (const [term, w] of wb.weights) {
    const other = wa.weights.get(term);
    if (other === undefined) union += w;
    else {
      shared += Math.min(w, other);
      union += Math.max(w, other) - other;
    }
  }
  const score = union > 0 ? shared / union : 0;
  const smaller = Math.min(wa.total, wb.total);
  const containment = smaller > 0 ? shared / smaller : 0;
  const result = (same: boolean, why: string) => ({ score, containment, shared, same, why });

  if (smaller < MIN_FINGERPRINT_WEIGHT) return result(false, "too little text to compare");
  // Two headlines that both give figures and share none report different facts
  // ("$1.5bn gas deal" vs "trade reached $4.4bn"), whatever else they share.
  if (disjoint(wa.titleNumbers, wb.titleNumbers)) return result(false, "headlines give different figures");
  // Likewise places: "PM visits Tashkent" and "PM arrives in Astana" are two trips.
  if (disjoint(wa.titlePlaces, wb.titlePlaces)) return result(false, "headlines name different places");
  if (topicsOverlap(a.topics, b.topics)) {
    if (score >= MERGE_SCORE_WITH_TOPIC) return result(true, "similar wording, shared topic");
    if (containment >= MERGE_CONTAINMENT_WITH_TOPIC && shared >= MIN_SHARED_WEIGHT) {
      return result(true, "one headline contained in the other, shared topic");
    }
    return result(false, "not similar enough");
  }
  if (score >= MERGE_SCORE_WITHOUT_TOPIC) return result(true, "near-identical wording");
  return result(false, "no shared topic and not near-identical");
}

/**
 * Finds the recent story that tells the same event as `candidate`, if any. Only stories published
 * within the window of the candidate (and of `now`) count; a story of the candidate's own feed, or
 * the candidate itself, is never a match. When several match, the most similar wins.
 * Guarantees: deterministic; returns undefined rather than a doubtful match.
 */
export function findDuplicate(
  candidate: StoryFingerprint,
  recent: readonly StoryFingerprint[],
  now: Date,
  options: DedupeOptions = DEFAULT_DEDUPE_OPTIONS,
): DuplicateMatch | undefined {
  const windowMs = options.windowHours * 3_600_000;
  const candidateTime = Date.parse(candidate.published);
  const earliest = now.getTime() - windowMs;
  let best: DuplicateMatch | undefined;
  for (const other of recent) {
    if (other.storyId === candidate.storyId || other.feedId === candidate.feedId) continue;
    const otherTime = Date.parse(other.published);
    if (!Number.isFinite(otherTime) || otherTime < earliest) continue;
    if (Number.isFinite(candidateTime) && Math.abs(candidateTime - otherTime) > windowMs) continue;
    const verdict = compareFingerprints(candidate, other);
    if (!verdict.same) continue;
    if (!best || verdict.score > best.score) {
      best = { storyId: other.storyId, score: verdict.score, containment: verdict.containment };
    }
  }
  return best;
}
