import { Composer } from "grammy";
import type { Translate } from "../../i18n/translator.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import { parseKeywords } from "../../subscriber/keywords.js";
import type { BotContext } from "../context.js";
import { KEYWORDS_CONVERSATION } from "../conversations/keywords.js";
import { keywordsSavedText } from "../views/choices.js";
import { canManage, keywordsArgs } from "./subscription.js";

/**
 * /keywords: with a list ("/keywords Ташкент, UzAuto"), replaces the chat's own keywords at once
 * (the way to set them in a group, where privacy mode hides plain messages); alone, opens the
 * keywords dialogue. Install after subscriptionFeature, which registers the dialogue.
 */
export function keywordsFeature(deps: {
  translate: Translate;
  subscriptions: SubscriptionStore;
}): Composer<BotContext> {
  const { translate, subscriptions } = deps;
  const feature = new Composer<BotContext>();

  feature.command("keywords", async (ctx) => {
    if (!ctx.chat) return;
    if (!(await canManage(ctx))) {
      await ctx.reply(ctx.t("group-admins-only"));
      return;
    }
    const existing = await subscriptions.get(ctx.chat.id);
    if (!existing) {
      await ctx.reply(ctx.t("not-subscribed"));
      return;
    }
    const list = ctx.match.trim();
    if (list.length === 0) {
      await ctx.conversation.exitAll();
      await ctx.conversation.enter(KEYWORDS_CONVERSATION, keywordsArgs(ctx, existing));
      return;
    }
    const parsed = parseKeywords(list);
    if (parsed.keywords.length > 0) await subscriptions.setKeywords(ctx.chat.id, parsed.keywords);
    await ctx.reply(keywordsSavedText(parsed, translate, ctx.language, parsed.keywords.length > 0), {
      parse_mode: "HTML",
    });
  });

  return feature;
}
