/**
 * Loads the editable vocabularies under data/vocabulary/, validates them with zod, and compiles
 * them into token matchers. Loading happens once per process (sync, cached); a broken file fails
 * loudly with the file name and the path of the bad entry, because a silently skipped pattern would
 * quietly change which stories subscribers get.
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { compilePattern, Matcher, parseWith, readJson } from "./matcher.js";
import { foldText, matchKey } from "./text.js";
import { TOPIC_IDS, type TopicId } from "./topicIds.js";
import { FEED_LANGUAGES, type FeedLanguage } from "./types.js";

export { compilePattern, Matcher, type PatternMatch, VocabularyError } from "./matcher.js";

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
    z.enum(FEED_LANGUAGES),
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
  transitVia: patternList.default([]),
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
    z.object({
      keywords: languageKeywords,
      /** Words that say the topic only with company: see {@link TopicKeyword.weak}. */
      weakKeywords: languageKeywords.partial().default({}),
      /** Phrases that hide this topic's keywords they overlap ("hisob-kitob" is not a book, "Sirdaryo viloyati" not the river). */
      except: patternList.default([]),
      categoryHints: patternList,
    }),
  ),
  stateRelations: languageKeywords,
});

export type RelevanceVocabularyData = z.infer<typeof relevanceSchema>;
export type TopicsVocabularyData = z.infer<typeof topicsSchema>;
type OutletPerspectiveData = NonNullable<RelevanceVocabularyData["outletPerspective"]["kk"]>;

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
  | { kind: "transitVia" }
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
  add(v.transitVia, { kind: "transitVia" });
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

/** What a topic keyword stands for. */
export type TopicKeyword = {
  topic: TopicId;
  /**
   * A weak word ("инвестиции", "border", "президент") names the topic only in the headline or beside a
   * second word of the same topic; alone in the lead it is context, not substance.
   */
  weak: boolean;
};

export type TopicsVocabulary = {
  /** Topic keywords over title, lead and content. */
  keywords: Matcher<TopicKeyword>;
  /** Phrases that hide the overlapping keywords of one topic. */
  exceptions: Matcher<TopicId>;
  /** Feed category hints, matched over one category at a time. */
  categoryHints: Matcher<TopicId>;
  /** Words that make an unmatched story a diplomacy story rather than "other". */
  stateRelations: Matcher<true>;
};

/** Validates and compiles topics vocabulary data; `file` names the source in error messages. */
export function compileTopicsVocabulary(data: unknown, file: string): TopicsVocabulary {
  const v = parseWith(topicsSchema, data, file);
  const keywords: Array<{ source: string; label: TopicKeyword }> = [];
  const exceptions: Array<{ source: string; label: TopicId }> = [];
  const hints: Array<{ source: string; label: TopicId }> = [];
  for (const [topic, entry] of Object.entries(v.topics) as Array<[TopicId, (typeof v.topics)[TopicId]]>) {
    if (entry === undefined) continue;
    for (const list of Object.values(entry.keywords)) {
      for (const source of list) keywords.push({ source, label: { topic, weak: false } });
    }
    for (const list of Object.values(entry.weakKeywords)) {
      for (const source of list ?? []) keywords.push({ source, label: { topic, weak: true } });
    }
    for (const source of entry.except) exceptions.push({ source, label: topic });
    for (const source of entry.categoryHints) hints.push({ source, label: topic });
  }
  const state = Object.values(v.stateRelations).flatMap((list) =>
    list.map((source) => ({ source, label: true as const })),
  );
  return {
    keywords: new Matcher(keywords),
    exceptions: new Matcher(exceptions),
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
