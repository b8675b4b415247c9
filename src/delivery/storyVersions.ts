/**
 * What a story delivery carries beyond the story: which telling of a merged story it is (story
 * languages) and which of the reader's own keywords brought it. Both travel in the job's story id
 * (`<story id>|lang=<language>|kw=<keyword>`), so the queue's payloads, job ids and once-per-chat
 * ledger stay as they are; the worker's story reader turns such an id back into the story to show.
 */
import type { StoryStore } from "../news/storyStore.js";
import type { FeedLanguage, Story } from "../news/types.js";
import { isStoryLanguage, storyAsVersion, storyVersions } from "../subscriber/storyLanguages.js";
import type { MarkedStory } from "./formatStory.js";

const LANGUAGE_PART = "|lang=";
// Keywords never hold "|" or "=" (subscriber/keywords.ts allows letters, digits, spaces, ' - .).
const KEYWORD_PART = "|kw=";

/** The delivery id of the story as told in `language` (the story's own id for its own telling). */
export function versionDeliveryId(story: Pick<Story, "id" | "language">, language: FeedLanguage): string {
  return language === story.language ? story.id : `${story.id}${LANGUAGE_PART}${language}`;
}

/** A delivery id marked with the reader's keyword that matched. */
export function keywordDeliveryId(deliveryId: string, keyword: string): string {
  return `${deliveryId}${KEYWORD_PART}${keyword}`;
}

/** The story id, telling language and keyword of a delivery id. */
export function parseVersionDeliveryId(id: string): {
  storyId: string;
  language?: FeedLanguage;
  keyword?: string;
} {
  let rest = id;
  let keyword: string | undefined;
  const kw = rest.lastIndexOf(KEYWORD_PART);
  if (kw > 0) {
    keyword = rest.slice(kw + KEYWORD_PART.length);
    rest = rest.slice(0, kw);
  }
  const at = rest.lastIndexOf(LANGUAGE_PART);
  const language = at > 0 ? rest.slice(at + LANGUAGE_PART.length) : undefined;
  const parsed =
    language !== undefined && isStoryLanguage(language)
      ? { storyId: rest.slice(0, at), language }
      : { storyId: rest };
  return keyword ? { ...parsed, keyword } : parsed;
}

/**
 * The worker's story reader: a delivery id of a telling gives the story as that telling (its
 * title and link in front, the others under "also reported by"), marked with the keyword when one
 * brought it; any other id, the story itself.
 */
export function versionAwareStories(stories: Pick<StoryStore, "getStory">): Pick<StoryStore, "getStory"> {
  return {
    async getStory(id: string): Promise<MarkedStory | undefined> {
      const { storyId, language, keyword } = parseVersionDeliveryId(id);
      if (storyId === id) return stories.getStory(id);
      // A feed's own id could contain a separator: then it is a story of its own.
      const story = (await stories.getStory(storyId)) ?? (await stories.getStory(id));
      if (!story || story.id === id) return story;
      const version = language ? storyVersions(story).find((v) => v.language === language) : undefined;
      const told = version ? storyAsVersion(story, version) : story;
      return keyword ? { ...told, matchedKeyword: keyword } : told;
    },
  };
}
