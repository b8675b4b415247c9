import type { TopicId } from "./topicIds.js";

/**
 * Languages of the feeds: the one list, read by the feed list, the vocabularies, the story store
 * and the labelled headlines. Uzbek comes in two scripts, which matters for matching.
 */
export const FEED_LANGUAGES = ["ru", "kk", "uz-Latn", "uz-Cyrl", "en"] as const;
export type FeedLanguage = (typeof FEED_LANGUAGES)[number];

/** One feed from FEEDS_FILE (or added at run time by an admin). */
export type FeedConfig = {
  id: string;
  url: string;
  /** The outlet's display name, e.g. "Gazeta.uz". */
  outlet: string;
  language: FeedLanguage;
  /** Topics every story of this feed leans to (a weak signal). */
  defaultTopics: TopicId[];
};

/** An item as read from a feed, before any judgement: plain text, parsed time, stable id. */
export type NormalisedItem = {
  /** Stable across polls: guid (or Atom id), else the normalised link, else a content hash. */
  id: string;
  /**
   * The id the reader gave this item before ids preferred guids and kept fragments, when it
   * differs: checked in the seen set too, so an upgrade never re-sends a delivered story.
   */
  legacyId?: string;
  /**
   * True when an earlier item of the same document had the same legacy id: that one, not this,
   * was judged under it by the earlier version, which never saw this item at all.
   */
  legacyIdShared?: boolean;
  feedId: string;
  outlet: string;
  language: FeedLanguage;
  title: string;
  summary: string;
  link: string;
  /** ISO 8601. The first-seen time when the feed gave none, or one in the future. */
  published: string;
  /** True when `published` is the first-seen time rather than the feed's own date. */
  publishedEstimated: boolean;
  categories: string[];
  imageUrl?: string;
  /**
   * The full text (content:encoded, Atom content) as plain text, cut to CONTENT_MAX_CHARS, when
   * the feed carries one; for the topic tagger. Not stored with the story.
   */
  content?: string;
};

/** The judgement of the relevance filter and topic tagger on one item. */
export type Classification =
  | { relevant: true; topics: TopicId[]; reason: string }
  | { relevant: false; reason: string };

/** An accepted story: what delivery sends and /latest shows. */
export type Story = NormalisedItem & {
  topics: TopicId[];
  /**
   * Outlets that told the same story later (or in another language), with their links. Reports
   * merged since story languages exist also carry their language, title and summary, so a reader
   * of another language can be given that telling instead.
   */
  alsoReportedBy: Array<{
    outlet: string;
    link: string;
    language?: FeedLanguage;
    title?: string;
    summary?: string;
  }>;
  /** ISO 8601 time the pipeline accepted it. */
  acceptedAt: string;
};
