/**
 * Judging a feed's new items inside the poll cycle's single queue: claim each item once, then
 * backlog, relevance, dedupe; merge a retelling into its story, or store a new story (after
 * reading its article page, when ARTICLE_FETCH is on) and hand it to delivery.
 */
import { topicsWithArticle } from "./articleEnricher.js";
import { findDuplicate, fingerprintStory } from "./dedupe.js";
import type { FeedState } from "./feedHealth.js";
import {
  BACKLOG_REASON,
  type CycleContext,
  DEFAULT_POLL_OPTIONS,
  type FeedOutcome,
  type ItemDecision,
} from "./pollCycleTypes.js";
import type { AlsoReported } from "./storyStore.js";
import type { FeedConfig, NormalisedItem, Story } from "./types.js";

/** Claims, filters, dedupes and accepts the items of one feed. Runs inside the cycle's queue. */
export async function judgeItems(
  ctx: CycleContext,
  feed: FeedConfig,
  state: FeedState,
  items: readonly NormalisedItem[],
  outcome: FeedOutcome,
): Promise<void> {
  const { deps, options, now } = ctx;
  // The id an item had before ids preferred guids is claimed too: an item seen under it was
  // judged (and maybe delivered) by an earlier version, and must not be sent again.
  const legacyIds = items.flatMap((i) => (i.legacyId ? [i.legacyId] : []));
  const claimed = await deps.store.markSeen([...items.map((i) => i.id), ...legacyIds], now);
  // Items an earlier version never judged because another item of the feed had their old id:
  // judged now, but only if recent, so an upgrade does not flood subscribers with old stories.
  const swallowed = new Set<string>();
  const isNew = (i: NormalisedItem) => {
    if (!claimed.has(i.id)) return false;
    if (!i.legacyId || claimed.has(i.legacyId)) return true;
    if (i.legacyIdShared) swallowed.add(i.id);
    return i.legacyIdShared === true;
  };
  const fresh = new Set(items.filter(isNew).map((i) => i.id));
  outcome.newItems = fresh.size;
  if (fresh.size === 0) return;

  const firstPoll = state.health === undefined;
  const backlogStart =
    firstPoll && options.backlogHours !== undefined
      ? now.getTime() - options.backlogHours * 3_600_000
      : undefined;
  const swallowedStart =
    now.getTime() - (options.backlogHours ?? DEFAULT_POLL_OPTIONS.backlogHours ?? 24) * 3_600_000;
  // Oldest first, so stories reach subscribers in the order they happened.
  const candidates = items
    .filter((i) => fresh.has(i.id))
    .sort((a, b) => Date.parse(a.published) - Date.parse(b.published));

  let judged = 0;
  try {
    for (const item of candidates) {
      await judgeItem(ctx, feed, item, swallowed.has(item.id) ? swallowedStart : backlogStart, outcome);
      judged++;
    }
  } catch (err) {
    // An item must not be lost to a fault of ours: give back the claims not yet judged (only
    // those made now: a legacy id claimed by an earlier version stays claimed).
    const unjudged = candidates
      .slice(judged)
      .flatMap((i) => (i.legacyId ? [i.id, i.legacyId] : [i.id]))
      .filter((id) => claimed.has(id));
    await deps.store.unmarkSeen(unjudged).catch((e: unknown) => {
      deps.logger.error({ feedId: feed.id, err: e }, "could not release unjudged items");
    });
    throw err;
  }
}

/** Judges one new item: backlog, relevance, dedupe; then merges, or stores and hands it on. */
async function judgeItem(
  ctx: CycleContext,
  feed: FeedConfig,
  item: NormalisedItem,
  backlogStart: number | undefined,
  outcome: FeedOutcome,
): Promise<void> {
  const { deps, options, now, report } = ctx;
  const reject = (reason: string) => {
    outcome.rejected++;
    report.rejectionReasons[reason] = (report.rejectionReasons[reason] ?? 0) + 1;
    if (options.explain) report.decisions.push(decision(item, "rejected", reason));
  };

  // Without its own date an item's age is unknown; on a first poll that means "maybe old".
  if (backlogStart !== undefined && (item.publishedEstimated || Date.parse(item.published) < backlogStart)) {
    reject(BACKLOG_REASON);
    return;
  }
  const input = {
    title: item.title,
    summary: item.summary,
    categories: item.categories,
    language: item.language,
    content: item.content,
    defaultTopics: feed.defaultTopics,
  };
  const verdict = deps.classify(input);
  if (!verdict.relevant) {
    reject(verdict.reason);
    return;
  }

  // The article page (ARTICLE_FETCH): its text re-tags the topics and stands in for a stub lead
  // in dedupe, its og:image fills a missing image. A page not read changes nothing.
  const page = await ctx.articles?.read(item);
  const topics = page
    ? topicsWithArticle(verdict.topics, deps.classify({ ...input, content: page.text }))
    : verdict.topics;
  const image = !item.imageUrl && page?.image ? { imageUrl: page.image } : {};

  const fingerprint = fingerprintStory({ ...item, ...(page ? { content: page.text } : {}), topics });
  const match = findDuplicate(fingerprint, ctx.recent, now, { windowHours: options.dedupeWindowHours });
  const telling: AlsoReported = {
    outlet: item.outlet,
    link: item.link,
    language: item.language,
    title: item.title,
    summary: item.summary,
  };
  if (match && (await deps.store.addAlsoReported(match.storyId, telling))) {
    outcome.merged++;
    try {
      await deps.sink.acceptVersion?.(match.storyId, telling);
    } catch (err) {
      report.totals.sinkFailures++;
      deps.logger.error({ storyId: match.storyId, err }, "delivery did not take the version");
    }
    if (options.explain) {
      report.decisions.push({
        ...decision(
          item,
          "merged",
          `same event as story ${match.storyId} (similarity ${match.score.toFixed(2)})`,
        ),
        storyId: match.storyId,
      });
    }
    return;
  }

  // One millisecond apart within a cycle, so "newest first" keeps the order of acceptance.
  const acceptedAt = new Date(now.getTime() + report.acceptedStoryIds.length).toISOString();
  // The full text and the pre-upgrade id serve the judging only; the stored story stays lean.
  const { content: _content, legacyId: _legacyId, legacyIdShared: _shared, ...shown } = item;
  const story: Story = { ...shown, ...image, topics, alsoReportedBy: [], acceptedAt };
  await deps.store.saveStory(story, fingerprint);
  ctx.recent.push(fingerprint);
  outcome.accepted++;
  report.acceptedStoryIds.push(story.id);
  try {
    await deps.sink.accept(story);
  } catch (err) {
    report.totals.sinkFailures++;
    deps.logger.error({ storyId: story.id, err }, "delivery did not take the story");
  }
}

function decision(item: NormalisedItem, kind: ItemDecision["decision"], reason: string): ItemDecision {
  return {
    feedId: item.feedId,
    outlet: item.outlet,
    itemId: item.id,
    title: item.title,
    link: item.link,
    published: item.published,
    decision: kind,
    reason,
  };
}
