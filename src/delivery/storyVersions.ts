/**
 * A merged story told in several languages is delivered as one of its tellings. The telling
 * travels in the job's story id (`<story id>|lang=<language>`), so the queue's payloads, job ids
 * and once-per-chat ledger stay as they are; the worker's story reader turns such an id back into
 * the story as that outlet told it.
 */
import type { StoryStore } from "../news/storyStore.js";
import type { FeedLanguage, Story } from "../news/types.js";
import { isStoryLanguage, storyAsVersion, storyVersions } from "../subscriber/storyLanguages.js";

const SEPARATOR = "|lang=";

/** The delivery id of the story as told in `language` (the story's own id for its own language). */
export function versionDeliveryId(story: Pick<Story, "id" | "language">, language: FeedLanguage): string {
  return language === story.language ? story.id : `${story.id}${SEPARATOR}${language}`;
}

/** The story id and telling language of a delivery id; no language for a story's own telling. */
export function parseVersionDeliveryId(id: string): { storyId: string; language?: FeedLanguage } {
  const at = id.lastIndexOf(SEPARATOR);
  if (at <= 0) return { storyId: id };
  const language = id.slice(at + SEPARATOR.length);
  return isStoryLanguage(language) ? { storyId: id.slice(0, at), language } : { storyId: id };
}

/**
 * The worker's story reader: a delivery id of a telling gives the story as that telling (its
 * title and link in front, the others under "also reported by"); any other id, the story itself.
 */
export function versionAwareStories(stories: Pick<StoryStore, "getStory">): Pick<StoryStore, "getStory"> {
  return {
    async getStory(id: string): Promise<Story | undefined> {
      const { storyId, language } = parseVersionDeliveryId(id);
      if (!language) return stories.getStory(id);
      // A feed's own id could contain the separator: then it is a story of its own.
      const story = (await stories.getStory(storyId)) ?? (await stories.getStory(id));
      if (!story || story.id === id) return story;
      const version = storyVersions(story).find((v) => v.language === language);
      return version ? storyAsVersion(story, version) : story;
    },
  };
}
