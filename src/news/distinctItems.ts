/**
 * From the raw items of one document to the items passed on, with an account of the rest: no two
 * different stories ever share an id, and every item not passed on is listed with its reason.
 */
import { dominantOffsetMinutes } from "./feedDate.js";
import { hashId, type ItemSource, normaliseItem, normaliseLink } from "./normalise.js";
import type { RawItem } from "./parseFeed.js";
import type { NormalisedItem } from "./types.js";

/** Why the reader did not pass an item on: a closed list, so it can label a metric. */
export const DROP_REASONS = ["no-title-or-link", "listed-twice"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Human wording of each drop reason, for `preview --explain` and logs. */
export const DROP_REASON_TEXT: Record<DropReason, string> = {
  "no-title-or-link": "the item has neither a title nor a link (nothing to show or open)",
  "listed-twice": "the feed lists the same item twice (same id, title, link and summary)",
};

/** An item of the document that the reader did not pass on. */
export type DroppedItem = { reason: DropReason; title: string; link: string; guid?: string };

/** An item that shared its id with a different item of the same document, kept under `id`. */
export type RenamedItem = { id: string; sharedId: string; title: string; link: string };

/**
 * Normalises the raw items of one document so that no two different stories share an id: an
 * item listed twice is dropped once ("listed-twice"); items that share an id but differ (a CMS
 * that repeats one guid, one link for a day's items) are all kept, each under the next-best id
 * (its link, else a hash of its text), and reported in `renamed`. Every item not passed on is in
 * `dropped` with its reason. Each item carries its pre-upgrade id when it differs; an item that
 * was not the first of the document to carry it is marked `legacyIdShared`, as only the first was
 * ever judged under it.
 */
export function distinctItems(
  raws: readonly RawItem[],
  feed: ItemSource,
  now: Date,
): { items: NormalisedItem[]; dropped: DroppedItem[]; renamed: RenamedItem[] } {
  const dropped: DroppedItem[] = [];
  const normalised: NormalisedItem[] = [];
  // A zone-less date is read in the zone the feed's other dates name, else the outlet's.
  const feedZone =
    feed.defaultOffsetMinutes ??
    dominantOffsetMinutes(raws.flatMap((r) => (r.published ? [r.published] : [])));
  const source: ItemSource = feedZone === undefined ? feed : { ...feed, defaultOffsetMinutes: feedZone };
  for (const raw of raws) {
    const item = normaliseItem(raw, source, now);
    if (item) {
      normalised.push(item);
      continue;
    }
    const entry: DroppedItem = {
      reason: "no-title-or-link",
      title: "",
      link: "",
    };
    if (raw.guid) entry.guid = raw.guid;
    dropped.push(entry);
  }

  const byId = new Map<string, NormalisedItem[]>();
  const items: NormalisedItem[] = [];
  for (const item of normalised) {
    const group = byId.get(item.id) ?? [];
    if (group.some((other) => sameStory(other, item))) {
      dropped.push({ reason: "listed-twice", title: item.title, link: item.link });
      continue;
    }
    group.push(item);
    byId.set(item.id, group);
    items.push(item);
  }

  const renamed: RenamedItem[] = [];
  const taken = new Set(byId.keys());
  const legacyOf = new Map<NormalisedItem, string>();
  for (const item of items) legacyOf.set(item, item.legacyId ?? item.id);
  for (const [sharedId, group] of byId) {
    if (group.length < 2) continue;
    taken.delete(sharedId);
    for (const item of group) {
      item.id = nextBestId(item, feed.id, sharedId, taken);
      taken.add(item.id);
      renamed.push({ id: item.id, sharedId, title: item.title, link: item.link });
    }
  }

  const legacySeen = new Set<string>();
  for (const item of items) {
    const legacy = legacyOf.get(item) ?? item.id;
    const first = !legacySeen.has(legacy);
    legacySeen.add(legacy);
    delete item.legacyIdShared;
    if (legacy === item.id) {
      delete item.legacyId;
      continue;
    }
    item.legacyId = legacy;
    if (!first) item.legacyIdShared = true;
  }
  return { items, dropped, renamed };
}

function sameStory(a: NormalisedItem, b: NormalisedItem): boolean {
  return a.title === b.title && a.link === b.link && a.summary === b.summary;
}

function nextBestId(item: NormalisedItem, feedId: string, sharedId: string, taken: Set<string>): string {
  const fromLink = item.link ? normaliseLink(item.link) : undefined;
  const byLink = fromLink ? `url:${fromLink}` : undefined;
  if (byLink && byLink !== sharedId && !taken.has(byLink)) return byLink;
  const byText = hashId(feedId, `${item.title}\n${item.link}`, item.summary);
  if (!taken.has(byText)) return byText;
  // Same title, link and summary under one id was dropped as listed twice, so this is rare: two
  // items alike in everything shown but different elsewhere (date, categories).
  for (let n = 2; ; n++) {
    const numbered = `${byText}:${n}`;
    if (!taken.has(numbered)) return numbered;
  }
}
