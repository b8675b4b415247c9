import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/**
 * Registered last: whatever no feature handled gets a helpful answer, never silence. Buttons
 * from old messages or forged callback data are answered with a short notice and ignored.
 */
export function fallbackFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.on("callback_query", async (ctx) => {
    ctx.log.info(
      { data: ctx.callbackQuery.data?.slice(0, 64) },
      "unknown or outdated callback data; ignored",
    );
    await ctx.answerCallbackQuery({ text: ctx.t("button-expired") });
  });

  feature.on("message:text", async (ctx) => {
    const text = ctx.message.text;
    const isCommand =
      ctx.message.entities?.[0]?.type === "bot_command" && ctx.message.entities[0].offset === 0;
    if (isCommand) {
      const command = text.split(/\s/)[0] ?? text;
      // In groups, commands addressed to other bots are not ours to answer.
      const [, target] = command.split("@");
      if (target && target.toLowerCase() !== ctx.me.username.toLowerCase()) return;
      await ctx.reply(ctx.t("unknown-command", { command }));
      return;
    }
    // Privacy mode means a group's chatter rarely reaches us; when it does, stay quiet.
    if (ctx.chat.type === "private") await ctx.reply(ctx.t("plain-text"));
  });

  return feature;
}
