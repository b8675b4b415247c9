import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import type { RatesService } from "../../rates/ratesService.js";
import { encodeCallback } from "../callbackData.js";
import type { BotContext } from "../context.js";

const CHART_DAYS = [7, 30, 90] as const;
const DEFAULT_DAYS = 30;

function chartKeyboard(translate: Translate, language: Language, current: number): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const days of CHART_DAYS) {
    const label = translate(language, "button-days", { days: String(days) });
    keyboard.text(days === current ? `• ${label} •` : label, encodeCallback({ kind: "ratesChart", days }));
  }
  return keyboard;
}

/** /rates: today's official rates with changes, and a chart of 7, 30 or 90 days. */
export function ratesFeature(rates: RatesService, translate: Translate): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("rates", async (ctx) => {
    await ctx.replyWithChatAction("typing").catch(() => {});
    const result = await rates.current();
    const text = rates.message(result, ctx.language);
    if (!text) {
      ctx.log.warn({ kind: result.kind }, "no rates to show");
      await ctx.reply(ctx.t("rates-unavailable"));
      return;
    }
    const chart = await rates.chart(DEFAULT_DAYS, ctx.language).catch((err: Error) => {
      ctx.log.warn({ err }, "chart failed; sending text only");
      return undefined;
    });
    if (!chart) {
      await ctx.reply(text, { parse_mode: "HTML" });
      return;
    }
    await ctx.replyWithPhoto(new InputFile(chart, "rates.png"), {
      caption: text,
      parse_mode: "HTML",
      reply_markup: chartKeyboard(translate, ctx.language, DEFAULT_DAYS),
    });
  });

  feature.filter(
    (ctx) => ctx.action?.kind === "ratesChart",
    async (ctx) => {
      if (ctx.action?.kind !== "ratesChart") return;
      const days = ctx.action.days;
      const result = await rates.current();
      const text = rates.message(result, ctx.language);
      const chart = await rates.chart(days, ctx.language);
      await ctx.answerCallbackQuery();
      if (!text || !chart) return;
      await ctx.editMessageMedia(
        { type: "photo", media: new InputFile(chart, "rates.png"), caption: text, parse_mode: "HTML" },
        { reply_markup: chartKeyboard(translate, ctx.language, days) },
      );
    },
  );

  return feature;
}
