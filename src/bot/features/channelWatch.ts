import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { botCanPost, type ChannelDeps, listChannels } from "./channelSettings.js";

/**
 * The bot's own membership in channels (my_chat_member): losing the admin right to post, or being
 * removed, pauses the channel and tells its managers; getting the right back resumes it. Also
 * lists a manager's channels under /settings. Install before subscriptionFeature, whose
 * my_chat_member handler knows only chats and whose /settings knows only the chat itself.
 */
export function channelWatch(
  deps: Pick<ChannelDeps, "subscriptions" | "notices" | "channels">,
): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  // /settings in a private chat: the user's own settings (subscriptionFeature, run by `next`),
  // then the channels they manage.
  feature.chatType("private").command("settings", async (ctx, next) => {
    await next();
    await listChannels(ctx, deps.channels);
  });
  feature.on("my_chat_member", async (ctx, next) => {
    if (ctx.chat.type !== "channel") return next();
    const chatId = ctx.chat.id;
    const member = ctx.myChatMember.new_chat_member;
    if (botCanPost(member)) {
      if (await deps.subscriptions.resume(chatId, ["blocked", "gone"])) {
        ctx.log.info("bot may post in the channel again; subscription resumed");
        await deps.notices.resumed({ chatId });
      }
      return;
    }
    if (await deps.subscriptions.setStatus(chatId, "blocked")) {
      ctx.log.info(
        { status: member.status },
        "bot removed from the channel or lost the right to post; paused",
      );
      await deps.notices.paused({ chatId });
    }
  });
  // Posts in the channel itself are not addressed to the bot: never answered.
  feature.on("channel_post", () => {});
  feature.on("edited_channel_post", () => {});
  return feature;
}
