import { Composer } from "grammy";
import { formatDigest, MESSAGE_LIMIT } from "../../delivery/index.js";
import type { Translate } from "../../i18n/translator.js";
import type { StoryStore } from "../../news/storyStore.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import { AnswerCache } from "../answerCache.js";
import type { BotContext } from "../context.js";
import { destinationOf } from "../destination.js";

const LATEST_COUNT = 5;
/**
 * Stories arrive with a poll cycle (POLL_CRON, every 5 minutes by default), so the digest of a
 * topic set stays true for about that long; half a minute keeps a crowd's /latest to one read
 * per topic set and language while a new story still shows at once for practical purposes.
 */
const DIGEST_FOR_MS = 30_000;

/**
 * /latest: the last five stored stories on the chat's topics (all topics before it subscribes),
 * newest last, as one message. The digest is built once per topic set and language for
 * DIGEST_FOR_MS.
 */
export function latestFeature(deps: {
  stories: StoryStore;
  subscriptions: SubscriptionStore;
  translate: Translate;
  timeZone: string;
}): Composer<BotContext> {
  const digests = new AnswerCache<string | undefined>();
  const feature = new Composer<BotContext>();
  feature.command("latest", async (ctx) => {
    if (!ctx.chat) return;
    // In a forum topic, that topic's subscription decides the topics.
    const subscription = await deps.subscriptions.get(destinationOf(ctx) ?? ctx.chat.id);
    const topics = subscription ? [...subscription.topics].sort() : [];
    const language = ctx.language;
    const digest = await digests.get(`${language}:${topics.join(",")}`, async () => {
      const stories = await deps.stories.latestStories({
        limit: LATEST_COUNT,
        ...(topics.length > 0 ? { topics } : {}),
      });
      if (stories.length === 0) return { value: undefined, ttlMs: 0 };
      const heading = deps.translate(language, "latest-heading");
      const { text } = formatDigest([...stories].reverse(), {
        language,
        translate: deps.translate,
        timeZone: deps.timeZone,
        maxLength: MESSAGE_LIMIT - heading.length - 2,
      });
      return { value: `${heading}\n\n${text}`, ttlMs: DIGEST_FOR_MS };
    });
    if (!digest) {
      await ctx.reply(ctx.t("latest-empty"));
      return;
    }
    await ctx.reply(digest, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  });
  return feature;
}
