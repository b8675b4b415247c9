/**
 * Who a broadcast goes to: every active subscriber, or those with one of some topics, or those
 * speaking one of some languages. The filter is pure; the walks stream the subscriber index in
 * batches, so 100,000 subscribers are never held in memory at once.
 */
import { z } from "zod";
import { LANGUAGES, type Language } from "../i18n/languages.js";
import { TOPIC_IDS, type TopicId } from "../news/topicIds.js";
import { destinationKey } from "../storage/destinations.js";
import { type Recipient, type SubscriptionStore, topicsToMask } from "../storage/subscriptions.js";

/**
 * Where a destination is, for audiences that target or leave out channels and forum topics:
 * `channels`, `threads` (forum topics), or `chats` (private chats and groups, neither of those).
 */
export const AUDIENCE_PLACES = ["channels", "threads", "chats"] as const;
export type AudiencePlace = (typeof AUDIENCE_PLACES)[number];

export const audienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("topics"), topics: z.array(z.enum(TOPIC_IDS)).min(1) }),
  z.object({ kind: z.literal("languages"), languages: z.array(z.enum(LANGUAGES)).min(1) }),
  z.object({ kind: z.literal("places"), places: z.enum(AUDIENCE_PLACES) }),
]);

export type Audience = z.infer<typeof audienceSchema>;

/** True when a subscriber belongs to the audience. Pure. */
export function inAudience(
  recipient: Pick<Recipient, "language" | "topicMask"> & Partial<Pick<Recipient, "kind" | "threadId">>,
  audience: Audience,
): boolean {
  switch (audience.kind) {
    case "all":
      return true;
    case "topics":
      return (recipient.topicMask & topicsToMask(audience.topics)) !== 0;
    case "languages":
      return (audience.languages as readonly Language[]).includes(recipient.language);
    case "places":
      return placeOf(recipient) === audience.places;
  }
}

/** A forum topic, a channel, or any other chat. Pure. */
export function placeOf(recipient: Partial<Pick<Recipient, "kind" | "threadId">>): AudiencePlace {
  if (recipient.threadId !== undefined) return "threads";
  return recipient.kind === "channel" ? "channels" : "chats";
}

/** The chat ids of the audience among active subscribers, in batches. */
export async function* audienceChats(
  subscriptions: Pick<SubscriptionStore, "activeRecipients">,
  audience: Audience,
  batchSize = 1000,
): AsyncGenerator<number[]> {
  for await (const batch of subscriptions.activeRecipients(batchSize)) {
    const chats = batch.filter((r) => inAudience(r, audience)).map((r) => r.chatId);
    if (chats.length > 0) yield chats;
  }
}

/**
 * The destination keys of the audience (`chat` or `chat:thread`), in batches: what a broadcast
 * stores, so a forum topic gets the broadcast in its own thread.
 */
export async function* audienceDestinations(
  subscriptions: Pick<SubscriptionStore, "activeRecipients">,
  audience: Audience,
  batchSize = 1000,
): AsyncGenerator<string[]> {
  for await (const batch of subscriptions.activeRecipients(batchSize)) {
    const keys = batch.filter((r) => inAudience(r, audience)).map((r) => destinationKey(r));
    if (keys.length > 0) yield keys;
  }
}

/** How many active subscribers the audience has right now. */
export async function countAudience(
  subscriptions: Pick<SubscriptionStore, "activeRecipients">,
  audience: Audience,
): Promise<number> {
  let total = 0;
  for await (const chats of audienceChats(subscriptions, audience)) total += chats.length;
  return total;
}

/** Topics or languages of an audience, for texts and the audit log ("trade, energy"). */
export function audienceDetail(audience: Audience): string {
  switch (audience.kind) {
    case "all":
      return "all";
    case "topics":
      return `topics: ${audience.topics.join(", ")}`;
    case "languages":
      return `languages: ${audience.languages.join(", ")}`;
    case "places":
      return `places: ${audience.places}`;
  }
}

export type { TopicId };
