/**
 * The canonical topics. Ids are stable (stored in Redis and in callback data); names live in
 * locales/ as `topic-<id>`. `other` is the catch-all described in docs/relevance.md, "Topics".
 *
 * APPEND ONLY. A topic's index here is its bit in every stored subscriber's topic mask
 * (storage/subscriptions.ts): inserting, removing or sorting ids would silently give every
 * subscriber other topics than they chose. test/unit/news/topicIds.test.ts pins the order.
 */
export const TOPIC_IDS = [
  "diplomacy",
  "trade",
  "industry",
  "energy",
  "transport",
  "agriculture",
  "water",
  "tourism",
  "culture",
  "education",
  "security",
  "digital",
  "finance",
  "health",
  "migration",
  "other",
] as const;

export type TopicId = (typeof TOPIC_IDS)[number];

export const TOPIC_EMOJI: Record<TopicId, string> = {
  diplomacy: "🤝",
  trade: "📦",
  industry: "🏭",
  energy: "⚡",
  transport: "🚆",
  agriculture: "🌾",
  water: "💧",
  tourism: "🧳",
  culture: "🎭",
  education: "🎓",
  security: "🛡️",
  digital: "💻",
  finance: "💳",
  health: "🩺",
  migration: "👥",
  other: "📰",
};

export function isTopicId(value: string): value is TopicId {
  return (TOPIC_IDS as readonly string[]).includes(value);
}
