/**
 * Which outlet languages a subscriber reads, and which version of a merged story they get. Pure:
 * plain data in, plain data out.
 */
import type { Language } from "../i18n/languages.js";
import { FEED_LANGUAGES } from "../news/feedList.js";
import type { FeedLanguage, Story } from "../news/types.js";

/**
 * Outlet languages in the feed list's order: bit i of a story-language mask is STORY_LANGUAGES[i],
 * stored in profiles, so the list may grow at its end but never be reordered.
 */
export const STORY_LANGUAGES = FEED_LANGUAGES;

export const ALL_STORY_LANGUAGES_MASK = (1 << STORY_LANGUAGES.length) - 1;

export function isStoryLanguage(value: unknown): value is FeedLanguage {
  return typeof value === "string" && (STORY_LANGUAGES as readonly string[]).includes(value);
}

export function storyLanguagesToMask(languages: readonly FeedLanguage[]): number {
  let mask = 0;
  for (const language of languages) mask |= 1 << STORY_LANGUAGES.indexOf(language);
  return mask;
}

export function maskToStoryLanguages(mask: number): FeedLanguage[] {
  return STORY_LANGUAGES.filter((_, i) => (mask & (1 << i)) !== 0);
}

export function readsLanguage(mask: number, language: FeedLanguage): boolean {
  return (mask & (1 << STORY_LANGUAGES.indexOf(language))) !== 0;
}

/** The outlet languages an interface language reads first (Uzbek: Latin, then Cyrillic). */
const PREFERRED: Record<Language, readonly FeedLanguage[]> = {
  ru: ["ru"],
  kk: ["kk"],
  uz: ["uz-Latn", "uz-Cyrl"],
  en: ["en"],
};

/** One telling of a story: the story itself (index 0) or an outlet that reported it too. */
export type StoryVersion = {
  outlet: string;
  link: string;
  language: FeedLanguage;
  title: string;
  summary: string;
};

/**
 * Every telling of a story with a known language, the story's own first, then merged ones in the
 * order they arrived. Reports stored before versions had a language are not versions (they stay
 * under "also reported by").
 */
export function storyVersions(story: Story): StoryVersion[] {
  const versions: StoryVersion[] = [
    {
      outlet: story.outlet,
      link: story.link,
      language: story.language,
      title: story.title,
      summary: story.summary,
    },
  ];
  for (const report of story.alsoReportedBy) {
    if (!report.language || !report.title) continue;
    versions.push({
      outlet: report.outlet,
      link: report.link,
      language: report.language,
      title: report.title,
      summary: report.summary ?? "",
    });
  }
  return versions;
}

/**
 * The version a reader gets: among those in a language they read, the first in their interface
 * language, else the earliest. Undefined when none is in a language they read.
 */
export function chooseVersion(
  versions: readonly StoryVersion[],
  languageMask: number,
  interfaceLanguage: Language,
): StoryVersion | undefined {
  const readable = versions.filter((v) => readsLanguage(languageMask, v.language));
  for (const language of PREFERRED[interfaceLanguage]) {
    const preferred = readable.find((v) => v.language === language);
    if (preferred) return preferred;
  }
  return readable[0];
}

/**
 * The story as told by `version`: its title, link, outlet, language and summary in front, and
 * every other telling (the original included) under "also reported by".
 */
export function storyAsVersion(story: Story, version: StoryVersion): Story {
  if (version.link === story.link) return story;
  const others = [
    { outlet: story.outlet, link: story.link, language: story.language },
    ...story.alsoReportedBy.filter((r) => r.link !== version.link),
  ];
  return {
    ...story,
    outlet: version.outlet,
    link: version.link,
    language: version.language,
    title: version.title,
    summary: version.summary,
    alsoReportedBy: others,
  };
}
