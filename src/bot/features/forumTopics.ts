import { Composer } from "grammy";
import type { Translate } from "../../i18n/translator.js";
import type { SubscriptionStore } from "../../storage/subscriptions.js";
import type { BotContext } from "../context.js";
import { destinationOf } from "../destination.js";
import type { PauseNotices } from "../pauseNotices.js";

type Deps = {
  subscriptions: SubscriptionStore;
  translate: Translate;
  notices: Pick<PauseNotices, "paused">;
};

/**
 * Forum topics as destinations of their own. /subscribe, /topics, /settings and /unsubscribe sent
 * in a topic act on that topic (subscriptionFeature reads the destination of each update); this
 * feature adds what only topics have: the topic's own language, and pausing topics that were
 * closed, or all of a forum's topics when the bot leaves it. Install before subscriptionFeature
 * and languageFeature.
 */
export function forumTopicsFeature(deps: Deps): Composer<BotContext> {
  const { subscriptions } = deps;
  const feature = new Composer<BotContext>();

  // The bot removed from a forum: every topic of it stops, not only the chat itself (which
  // subscriptionFeature pauses after this).
  feature.on("my_chat_member", async (ctx, next) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (ctx.chat.type === "supergroup" && (status === "kicked" || status === "left")) {
      for (const destination of await subscriptions.destinationsOf(ctx.chat.id)) {
        if (destination.threadId !== undefined) await subscriptions.setStatus(destination, "blocked");
      }
    }
    await next();
  });

  // An admin closed the topic: the bot could not post there anyway (TOPIC_CLOSED). Reopening it
  // brings the subscription back.
  feature.on("message:forum_topic_closed", async (ctx) => {
    const destination = destinationOf(ctx);
    if (destination?.threadId === undefined) return;
    if (await subscriptions.setStatus(destination, "blocked")) await deps.notices.paused(destination);
  });
  feature.on("message:forum_topic_reopened", async (ctx) => {
    const destination = destinationOf(ctx);
    if (destination?.threadId !== undefined) await subscriptions.resume(destination, ["blocked"]);
  });

  // A language chosen in a topic that has a subscription is that topic's news language; the
  // group's own language (its General topic) stays as it is.
  feature.filter(
    (ctx) => ctx.action?.kind === "lang",
    async (ctx, next) => {
      const destination = destinationOf(ctx);
      if (ctx.action?.kind !== "lang" || destination?.threadId === undefined) return next();
      if (!(await subscriptions.get(destination))) return next();
      await subscriptions.setLanguage(destination, ctx.action.language);
      await ctx.answerCallbackQuery();
      const done = deps.translate(ctx.action.language, "language-changed");
      await ctx.editMessageText(done).catch(() => ctx.reply(done));
    },
  );

  return feature;
}
