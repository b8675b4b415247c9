import { Composer } from "grammy";
import { formatDigest, MESSAGE_LIMIT } from "../../delivery/index.js";
import type { Translate } from "../../i18n/translator.js";
import type { StoryStore } from "../../news/storyStore.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import type { BotContext } from "../context.js";
import { destinationOf } from "../destination.js";

const LATEST_COUNT = 5;

/**
 * /latest: the last five stored stories on the chat's topics (all topics before it subscribes),
 * newest last, as one message.
 */
export function latestFeature(deps: {
  stories: StoryStore;
  subscriptions: SubscriptionStore;
  translate: Translate;
  timeZone: string;
}): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("latest", async (ctx) => {
    if (!ctx.chat) return;
    // In a forum topic, that topic's subscription decides the topics.
    const subscription = await deps.subscriptions.get(destinationOf(ctx) ?? ctx.chat.id);
    const stories = await deps.stories.latestStories({
      limit: LATEST_COUNT,
      ...(subscription ? { topics: subscription.topics } : {}),
    });
    if (stories.length === 0) {
      await ctx.reply(ctx.t("latest-empty"));
      return;
    }
    const heading = ctx.t("latest-heading");
    const digest = formatDigest([...stories].reverse(), {
      language: ctx.language,
      translate: deps.translate,
      timeZone: deps.timeZone,
      maxLength: MESSAGE_LIMIT - heading.length - 2,
    });
    await ctx.reply(`${heading}\n\n${digest.text}`, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    });
  });
  return feature;
}
