/**
 * The bilateral filter: does a story concern relations between Kazakhstan and Uzbekistan?
 * The rules follow the team's relevance specification (RELEVANCE.md, kept outside this
 * repository) and are written out in docs/relevance.md; the words they look for live in
 * data/vocabulary/relevance.json.
 */
import { type MatchToken, tokenizeForMatching } from "./text.js";
import type { FeedLanguage } from "./types.js";
import {
  type OwnCountry,
  type PatternMatch,
  type RelevanceLabel,
  type RelevanceVocabulary,
  relevanceVocabulary,
  type SignalStrength,
} from "./vocabulary.js";

/** What the filter found, for `preview --explain` and for the topic tagger. */
export type RelevanceSignals = {
  /** Mentions of Kazakhstan (as written in the text), headline first. */
  kazakhstan: string[];
  uzbekistan: string[];
  /** Phrases that by themselves name the pair: "казахстанско-узбекских", the "Central Asia" centre, Silk Visa. */
  bilateral: string[];
  /** Labels of other countries mentioned ("Russia", "Kyrgyzstan"). */
  thirdCountries: string[];
  /** Multilateral formats and region lists mentioned ("шос", "стран центральной азии"). */
  multilateral: string[];
  /** Exclusion markers found, as "group: text" ("sport: матч"). */
  exclusions: string[];
  /** True when the headline alone names both countries or the pair. */
  headlineBilateral: boolean;
};

/** The verdict of {@link judgeRelevance}. */
export type RelevanceJudgement = { relevant: boolean; reason: string; signals: RelevanceSignals };

/** Optional context: the feed language lets an unnamed "Президент" in an Uzbek or Kazakh outlet count. */
export type RelevanceOptions = { language?: FeedLanguage; vocabulary?: RelevanceVocabulary };

type Signal = { country: OwnCountry; strength: SignalStrength | "inferred"; text: string };

type PartAnalysis = {
  tokens: readonly MatchToken[];
  matches: PatternMatch<RelevanceLabel>[];
  signals: Signal[];
  thirds: Set<string>;
  /** Third countries mentioned only as a counterpart ("в Кыргызстан", "with China"), never as a co-party. */
  counterpartOnly: Set<string>;
  bilateral: string[];
};

const STRONG: ReadonlySet<Signal["strength"]> = new Set(["name", "leader", "institution", "selfReference"]);

function analysePart(
  text: string,
  vocabulary: RelevanceVocabulary,
  language: FeedLanguage | undefined,
): PartAnalysis {
  const tokens = tokenizeForMatching(text);
  const raw = vocabulary.matcher.match(tokens);
  // A false friend ("банк «Ташкент»", "узбекская кухня") hides every signal it overlaps; a joint entity
  // (МЦПС «Центральная Азия») hides the multilateral and third-country readings of its own words.
  const blocked = spans(raw, (l) => l.kind === "falseFriend");
  const joint = spans(raw, (l) => l.kind === "jointEntity");
  // A country inside a format's name ("Китай – Центральная Азия") is the format, not a partner.
  const formats = spans(raw, (l) => l.kind === "multilateral" && l.level === "formats");
  const matches = raw.filter((m) => {
    if (m.label.kind === "falseFriend") return true;
    if (overlaps(m, blocked)) return false;
    if ((m.label.kind === "multilateral" || m.label.kind === "third") && overlaps(m, joint)) return false;
    if (m.label.kind === "third" && overlaps(m, formats)) return false;
    return true;
  });

  const signals: Signal[] = [];
  const thirds = new Set<string>();
  const counterparts = new Set<string>();
  const coParties = new Set<string>();
  const bilateral: string[] = [];
  const byToken = new Map<number, Signal[]>();
  for (const m of matches) {
    const label = m.label;
    if (label.kind === "country") {
      const signal: Signal = { country: label.country, strength: label.strength, text: m.text };
      signals.push(signal);
      for (let i = m.start; i < m.end; i++) byToken.set(i, [...(byToken.get(i) ?? []), signal]);
    } else if (label.kind === "third") {
      thirds.add(label.id);
      if (isCounterpart(tokens, m, vocabulary)) counterparts.add(label.id);
      else coParties.add(label.id);
    } else if (label.kind === "bilateralPhrase" || label.kind === "jointEntity") bilateral.push(m.text);
  }
  // Any dashed compound joining a Kazakhstan word and an Uzbekistan word ("Astana-Tashkent", "qozoq-o'zbek")
  // names the pair even when the exact compound is not listed.
  const compounds = new Map<number, Set<OwnCountry>>();
  tokens.forEach((t, i) => {
    if (t.compound < 0) return;
    const found = byToken.get(i);
    if (found === undefined) return;
    const set = compounds.get(t.compound) ?? new Set<OwnCountry>();
    for (const signal of found) set.add(signal.country);
    compounds.set(t.compound, set);
  });
  for (const [start, set] of compounds) {
    if (set.size < 2) continue;
    const parts: string[] = [];
    for (let i = start; tokens[i]?.compound === start; i++) parts.push(tokens[i]?.text ?? "");
    const text = parts.join("-");
    if (!bilateral.includes(text)) bilateral.push(text);
  }
  signals.push(...inferHeadOfState(tokens, byToken, vocabulary, language));
  const counterpartOnly = new Set([...counterparts].filter((id) => !coParties.has(id)));
  return { tokens, matches, signals, thirds, counterpartOnly, bilateral };
}

function isCounterpart(tokens: readonly MatchToken[], m: Span, vocabulary: RelevanceVocabulary): boolean {
  const roles = vocabulary.thirdCountryRoles;
  const before = tokens[m.start - 1];
  const after = tokens[m.end];
  const last = tokens[m.end - 1];
  if (before !== undefined && roles.before.has(before.key)) return true;
  if (after !== undefined && roles.after.has(after.key)) return true;
  return last !== undefined && roles.endings.some((e) => last.key.endsWith(e));
}

// In Kazakh and Uzbek a country that owns a title precedes it ("Өзбекстан Президенті"), so an unnamed
// President is the outlet's own head of state unless a country word stands right before it or a
// leader's name right after it.
function inferHeadOfState(
  tokens: readonly MatchToken[],
  byToken: ReadonlyMap<number, readonly Signal[]>,
  vocabulary: RelevanceVocabulary,
  language: FeedLanguage | undefined,
): Signal[] {
  const perspective = language === undefined ? undefined : vocabulary.perspectives[language];
  if (perspective === undefined) return [];
  const found: Signal[] = [];
  for (const m of perspective.headOfState.match(tokens)) {
    // Only a President who opens the headline or lead is the unnamed subject; elsewhere the word is
    // as likely to be about the other country's presidency ("… prezident vakolatlari …").
    if (m.start !== 0) continue;
    if (byToken.get(m.end)?.some((s) => s.strength === "leader")) continue;
    found.push({ country: perspective.country, strength: "inferred", text: m.text });
  }
  return found;
}

type Span = { start: number; end: number };

function spans(matches: PatternMatch<RelevanceLabel>[], pick: (l: RelevanceLabel) => boolean): Span[] {
  return matches.filter((m) => pick(m.label)).map(({ start, end }) => ({ start, end }));
}

function overlaps(m: Span, list: readonly Span[]): boolean {
  return list.some((s) => m.start < s.end && s.start < m.end);
}

function has(part: PartAnalysis, pick: (l: RelevanceLabel) => boolean): boolean {
  return part.matches.some((m) => pick(m.label));
}

function texts(parts: PartAnalysis[], pick: (l: RelevanceLabel) => boolean): string[] {
  return unique(parts.flatMap((p) => p.matches.filter((m) => pick(m.label)).map((m) => m.text)));
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

function quoteList(list: readonly string[], max = 3): string {
  return list
    .slice(0, max)
    .map((s) => `«${s}»`)
    .join(", ");
}

/**
 * Decides whether a story is about relations between Kazakhstan and Uzbekistan, judging the headline
 * together with the lead. Pure and deterministic for a given vocabulary. Always returns a one-line,
 * human-readable `reason` naming the rule that decided and the words that triggered it, for kept and
 * dropped stories alike.
 */
export function judgeRelevance(
  text: { title: string; summary: string },
  options: RelevanceOptions = {},
): RelevanceJudgement {
  const vocabulary = options.vocabulary ?? relevanceVocabulary();
  const title = analysePart(text.title, vocabulary, options.language);
  const lead = analysePart(text.summary, vocabulary, options.language);
  const both = [title, lead];
  const labels = vocabulary.countryLabels;

  // "Qozog'iston bilan hamkorlik" in an Uzbek outlet: the outlet's own country is the other party.
  const perspective = options.language === undefined ? undefined : vocabulary.perspectives[options.language];
  const anyInteraction = both.some((p) => has(p, (l) => l.kind === "interaction"));
  if (perspective !== undefined && anyInteraction && title.thirds.size === 0 && lead.thirds.size === 0) {
    const own = perspective.country;
    const ownNamed = both.some((p) => p.signals.some((s) => s.country === own));
    for (const part of ownNamed ? [] : both) {
      const form = perspective.partnerForms.match(part.tokens)[0];
      if (form !== undefined)
        part.signals.push({ country: own, strength: "inferred", text: `${form.text} →` });
    }
  }
  const mentions = (part: PartAnalysis, c: OwnCountry) => part.signals.filter((s) => s.country === c);
  const kzAll = [...mentions(title, "kz"), ...mentions(lead, "kz")];
  const uzAll = [...mentions(title, "uz"), ...mentions(lead, "uz")];

  const borderContext = both.some((p) => has(p, (l) => l.kind === "borderContext"));
  const checkpointTexts = both.flatMap((p) =>
    p.matches
      .filter((m) => m.label.kind === "checkpoint" && (!m.label.needsBorderContext || borderContext))
      .map((m) => m.text),
  );
  const checkpointInTitle = title.matches.some(
    (m) => m.label.kind === "checkpoint" && (!m.label.needsBorderContext || borderContext),
  );
  const bilateralMarkers = unique([...title.bilateral, ...lead.bilateral, ...checkpointTexts]);
  const thirdIds = new Set([...title.thirds, ...lead.thirds]);
  const thirdLabel = (id: string) => vocabulary.thirdCountries.get(id)?.label ?? id;

  const overridden = new Set(
    both.flatMap((p) =>
      p.matches.flatMap((m) => (m.label.kind === "exclusionUnless" ? [m.label.group] : [])),
    ),
  );
  const exclusions = both.flatMap((p) =>
    p.matches.flatMap((m) =>
      m.label.kind === "exclusion" && !overridden.has(m.label.group) ? [`${m.label.group}: ${m.text}`] : [],
    ),
  );
  const multilateralTexts = texts(both, (l) => l.kind === "multilateral");
  const headlineBilateral =
    title.bilateral.length > 0 ||
    checkpointInTitle ||
    (mentions(title, "kz").length > 0 && mentions(title, "uz").length > 0);

  const signals: RelevanceSignals = {
    kazakhstan: unique(kzAll.map((s) => s.text)),
    uzbekistan: unique(uzAll.map((s) => s.text)),
    bilateral: bilateralMarkers,
    thirdCountries: [...thirdIds].map(thirdLabel),
    multilateral: multilateralTexts,
    exclusions: unique(exclusions),
    headlineBilateral,
  };
  const keep = (reason: string): RelevanceJudgement => ({ relevant: true, reason, signals });
  const drop = (reason: string): RelevanceJudgement => ({ relevant: false, reason, signals });
  const describe = (list: Signal[]) => quoteList(unique(list.map((s) => s.text)));

  // 1. Both countries (or a phrase that names the pair) must be present somewhere.
  const pairNamed = bilateralMarkers.length > 0;
  if (!pairNamed && (kzAll.length === 0 || uzAll.length === 0)) {
    if (kzAll.length === 0 && uzAll.length === 0)
      return drop("neither Kazakhstan nor Uzbekistan is mentioned");
    const [only, found] = kzAll.length > 0 ? (["kz", kzAll] as const) : (["uz", uzAll] as const);
    const other = only === "kz" ? "uz" : "kz";
    const third = thirdIds.size > 0 ? ` (with ${[...thirdIds].map(thirdLabel).join(", ")})` : "";
    return drop(
      `one country only: ${labels[only]} ${describe(found)}${third}, no mention of ${labels[other]}`,
    );
  }

  // 2. Story kinds that are never about the relationship.
  const firstExclusion = exclusions[0];
  if (firstExclusion !== undefined) {
    const group = firstExclusion.split(":")[0] ?? "";
    return drop(`${group} story: ${quoteList(unique(exclusions).map((e) => e.slice(group.length + 2)))}`);
  }

  const hasAny = (pick: (l: RelevanceLabel) => boolean) => both.some((p) => has(p, pick));
  const interaction = hasAny((l) => l.kind === "interaction") || pairNamed;
  const kzLeader = kzAll.some((s) => s.strength === "leader" || s.strength === "inferred");
  const uzLeader = uzAll.some((s) => s.strength === "leader" || s.strength === "inferred");
  const titleThirds = [...title.thirds];
  const centralAsianThirds = [...thirdIds].filter((id) => vocabulary.thirdCountries.get(id)?.centralAsian);

  // 3. Multilateral formats, region lists and Central Asia-wide lists.
  const formatOrList = hasAny((l) => l.kind === "multilateral" && l.level !== "region");
  const region = hasAny((l) => l.kind === "multilateral" && l.level === "region");
  const caCount = 2 + centralAsianThirds.length;
  if (formatOrList || caCount >= 4 || (region && caCount >= 3)) {
    // A meeting of the two leaders on the sidelines is itself the subject; their attendance is not.
    const sidelines = hasAny((l) => l.kind === "bilateralMeeting" && l.level === "sidelines");
    const meeting = sidelines || hasAny((l) => l.kind === "bilateralMeeting" && l.level === "meeting");
    const pairMeeting =
      (headlineBilateral && meeting && titleThirds.length === 0) ||
      (sidelines && meeting && thirdIds.size === 0 && centralAsianThirds.length === 0);
    if (pairMeeting) {
      return keep(`bilateral meeting at a multilateral event (${quoteList(multilateralTexts)})`);
    }
    const what =
      multilateralTexts.length > 0
        ? quoteList(multilateralTexts)
        : `${caCount} Central Asian states (${[...centralAsianThirds].map(thirdLabel).join(", ")} too)`;
    return drop(`multilateral: ${what}; the two countries are members of a list, not the subject`);
  }

  // 4. Diaspora affairs inside one country.
  if (hasAny((l) => l.kind === "diaspora") && !hasAny((l) => l.kind === "stateParticipant")) {
    return drop(
      `diaspora affairs inside one country: ${quoteList(texts(both, (l) => l.kind === "diaspora"))}, no official of the other state`,
    );
  }

  // 5. Third countries.
  if (thirdIds.size > 0) {
    const names = [...thirdIds].map(thirdLabel).join(", ");
    if (titleThirds.length > 0) {
      // "Russian gas to Uzbekistan via Kazakhstan": the third country is the source or destination and
      // the substance passes through one of the two to the other, so both are direct parties.
      const transit = texts(both, (l) => l.kind === "transitVia");
      const strongBoth =
        kzAll.some((s) => STRONG.has(s.strength)) && uzAll.some((s) => STRONG.has(s.strength));
      if (!headlineBilateral && transit.length > 0 && strongBoth && thirdIds.size === 1) {
        return keep(`transit between the two: ${quoteList(transit)} (${names} is the source or destination)`);
      }
      if (!headlineBilateral) {
        return drop(
          `third country instead of the partner: the headline pairs ${titleThirds.map(thirdLabel).join(", ")} with one of the two; the other is only in the lead`,
        );
      }
      if (thirdIds.size >= 2) return drop(`several countries (${names}): a list, not a bilateral story`);
      const smallFormat = hasAny((l) => l.kind === "smallFormat");
      if (smallFormat || (kzLeader && uzLeader) || pairNamed) {
        return keep(`small format with ${names}: the substance passes between the two`);
      }
      if (titleThirds.every((id) => title.counterpartOnly.has(id))) {
        return drop(`parallel partners of ${names}: both countries deal with it, not with each other`);
      }
      return keep(`small format: ${names} and both countries are co-parties in the headline`);
    }
    if (!headlineBilateral && thirdIds.size >= 2 && !pairNamed) {
      return drop(`the lead lists several countries (${names}); the headline is not about the pair`);
    }
    if (!headlineBilateral && !interaction) {
      return drop(`the lead mentions ${names} alongside both countries but no dealings between them`);
    }
  }

  // 6. A country that appears only in passing in the lead.
  if (!headlineBilateral && !pairNamed) {
    const titleKz = mentions(title, "kz").length > 0;
    const titleUz = mentions(title, "uz").length > 0;
    if (titleKz !== titleUz) {
      const absent: OwnCountry = titleKz ? "uz" : "kz";
      const absentMentions = mentions(lead, absent);
      const onlyWeak = absentMentions.every((s) => !STRONG.has(s.strength));
      if (!interaction && (absentMentions.length === 1 || onlyWeak)) {
        return drop(`${labels[absent]} appears only in passing in the lead (${describe(absentMentions)})`);
      }
    }
  }
  const comparison = texts(both, (l) => l.kind === "comparison");
  if (comparison.length > 0 && !pairNamed && !hasAny((l) => l.kind === "interaction")) {
    return drop(`comparison or ranking (${quoteList(comparison)}), not relations`);
  }

  const kzText = describe(kzAll);
  const uzText = describe(uzAll);
  if (title.bilateral.length > 0 || checkpointInTitle) {
    return keep(`headline names the pair: ${quoteList(bilateralMarkers)}`);
  }
  if (headlineBilateral)
    return keep(`headline names both: ${labels.kz} ${kzText} and ${labels.uz} ${uzText}`);
  if (pairNamed) return keep(`the pair is named in the lead: ${quoteList(bilateralMarkers)}`);
  return keep(`link in the lead: ${labels.kz} ${kzText} and ${labels.uz} ${uzText}`);
}
