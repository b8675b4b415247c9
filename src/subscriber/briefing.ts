/**
 * When a chat's briefing or weekly digest is due, and which stories go into it. Pure: times,
 * stories and the chat's choices in, a period id and sections out.
 */
import type { Language } from "../i18n/languages.js";
import { localParts } from "../localDate.js";
import { TOPIC_IDS, type TopicId } from "../news/topicIds.js";
import type { Story } from "../news/types.js";
import { KeywordMatcher } from "./keywords.js";
import { isQuietHour, type QuietHours } from "./quietHours.js";
import { chooseVersion, type StoryVersion, storyAsVersion, storyVersions } from "./storyLanguages.js";

export { localParts };

export type BriefingKind = "briefing" | "weekly";

/**
 * Hours after the chosen hour in which a missed briefing is still sent (the bot was down or
 * restarting at the hour); later, it waits for the next period.
 */
export const CATCH_UP_HOURS = 6;
const DAY_MS = 86_400_000;
/** Stories per topic in a briefing, and in a weekly digest; the rest are counted. */
const PER_TOPIC: Record<BriefingKind, number> = { briefing: 6, weekly: 10 };

/**
 * The period whose briefing is due for a chat at `now`, or undefined when none is: a daily
 * briefing from the chosen hour for CATCH_UP_HOURS (`briefing:<date>`), a weekly digest on
 * Mondays likewise (`digest:<date of the Monday>`). The id names the period once per chat, so
 * it is what makes "exactly once" hold across runs, restarts and instances.
 */
export function duePeriod(
  kind: BriefingKind,
  briefingHour: number,
  now: Date,
  timeZone: string,
): string | undefined {
  const { date, hour, weekday } = localParts(now, timeZone);
  if (hour < briefingHour || hour >= briefingHour + CATCH_UP_HOURS) return undefined;
  if (kind === "briefing") return `briefing:${date}`;
  return weekday === 1 ? `digest:${date}` : undefined;
}

/**
 * The period whose held stories are due for a chat with quiet hours: from the hour they end, for
 * CATCH_UP_HOURS (`held:<date>`); undefined outside that.
 */
export function heldPeriod(quiet: QuietHours, now: Date, timeZone: string): string | undefined {
  const { date, hour } = localParts(now, timeZone);
  const since = (hour - quiet.end + 24) % 24;
  return since < CATCH_UP_HOURS && !isQuietHour(hour, quiet) ? `held:${date}` : undefined;
}

/** Where a briefing's stories start: the end of the previous one, at most one period back. */
export function windowStart(kind: BriefingKind, lastBriefing: number | undefined, now: Date): number {
  const earliest = now.getTime() - (kind === "briefing" ? DAY_MS : 7 * DAY_MS);
  return Math.max(lastBriefing ?? earliest, earliest);
}

/** What a briefing needs to know of a chat. */
export type BriefingReader = {
  language: Language;
  topicMask: number;
  storyLanguageMask: number;
  keywords: readonly string[];
};

/** A story as a briefing shows it: the reader's telling, and the keyword that brought it. */
export type BriefingStory = Story & { matchedKeyword?: string };

type Told = { story: Story; versions: StoryVersion[]; keywords: KeywordMatcher };

/**
 * The stories of one run (newest first, as the store gives them), with each one's tellings and
 * keyword matcher worked out once however many chats read it.
 */
export class BriefingStories {
  private readonly told: Told[];

  constructor(stories: readonly Story[]) {
    this.told = stories.map((story) => {
      const versions = storyVersions(story);
      return { story, versions, keywords: new KeywordMatcher(versions.flatMap((v) => [v.title, v.summary])) };
    });
  }

  /**
   * A reader's sections: stories accepted in [from, to) that they read (a telling in their
   * language) on their topics or keywords, oldest first within a topic, topics in the canonical
   * order, keyword-only stories first. Each story appears once.
   */
  sectionsFor(
    reader: BriefingReader,
    from: number,
    to: number,
    kind: BriefingKind,
  ): Array<{ topic: TopicId | "keywords"; stories: BriefingStory[]; more: number }> {
    const byTopic = new Map<TopicId | "keywords", BriefingStory[]>();
    for (const { story, versions, keywords } of this.told) {
      const at = Date.parse(story.acceptedAt);
      if (!(at >= from && at < to)) continue;
      const version = chooseVersion(versions, reader.storyLanguageMask, reader.language);
      if (!version) continue;
      const keyword = reader.keywords.length > 0 ? keywords.firstMatch(reader.keywords) : undefined;
      const topic = story.topics.find((t) => (reader.topicMask & (1 << TOPIC_IDS.indexOf(t))) !== 0);
      if (!topic && !keyword) continue;
      const shown: BriefingStory = storyAsVersion(story, version);
      const section = topic ?? "keywords";
      const list = byTopic.get(section) ?? [];
      list.push(keyword ? { ...shown, matchedKeyword: keyword } : shown);
      byTopic.set(section, list);
    }
    return orderedSections(byTopic, PER_TOPIC[kind], true);
  }
}

type Section = { topic: TopicId | "keywords"; stories: BriefingStory[]; more: number };

/** Sections in the canonical order, keyword-only first, at most `limit` stories each. */
function orderedSections(
  byTopic: Map<TopicId | "keywords", BriefingStory[]>,
  limit: number,
  newestFirst: boolean,
): Section[] {
  const order: Array<TopicId | "keywords"> = ["keywords", ...TOPIC_IDS];
  return order
    .filter((topic) => byTopic.has(topic))
    .map((topic) => {
      const list = byTopic.get(topic) ?? [];
      // The newest few, shown in the order they happened.
      const newest = newestFirst ? list : [...list].reverse();
      return { topic, stories: newest.slice(0, limit).reverse(), more: Math.max(0, newest.length - limit) };
    });
}

/**
 * The sections of stories held during quiet hours (oldest first, as they were held, each already
 * the reader's telling and marked with its keyword): under the first of the reader's topics, or
 * under their keywords.
 */
export function heldSections(stories: readonly BriefingStory[], topicMask: number): Section[] {
  const byTopic = new Map<TopicId | "keywords", BriefingStory[]>();
  for (const story of stories) {
    const topic = story.topics.find((t) => (topicMask & (1 << TOPIC_IDS.indexOf(t))) !== 0) ?? "keywords";
    const list = byTopic.get(topic) ?? [];
    list.push(story);
    byTopic.set(topic, list);
  }
  return orderedSections(byTopic, PER_TOPIC.briefing * 2, false);
}
