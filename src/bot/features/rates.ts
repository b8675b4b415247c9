import { Composer, GrammyError, HttpError, InlineKeyboard } from "grammy";
import type { Language } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import { INTERACTIVE_RETRY, type ResolvedRates } from "../../rates/officialRates.js";
import type { ChartSource, RatesService } from "../../rates/ratesService.js";
import { AnswerCache } from "../answerCache.js";
import { encodeCallback } from "../callbackData.js";
import type { ChartPhotos } from "../chartPhotos.js";
import type { BotContext } from "../context.js";

const CHART_DAYS = [7, 30, 90] as const;
const DEFAULT_DAYS = 30;

/**
 * How long a resolved answer is reused. Official rates change only by an NBK correction (seen
 * within a minute); a failure is asked again soon, but a crowd asking during an NBK outage
 * waits on one retry schedule, not one each.
 */
const OFFICIAL_FOR_MS = 60_000;
const FAILURE_FOR_MS = 15_000;
const CHART_DATA_FOR_MS = 60_000;

function chartKeyboard(translate: Translate, language: Language, current: number): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const days of CHART_DAYS) {
    const label = translate(language, "button-days", { days: String(days) });
    keyboard.text(days === current ? `• ${label} •` : label, encodeCallback({ kind: "ratesChart", days }));
  }
  return keyboard;
}

/**
 * /rates: today's official rates with changes, and a chart of 7, 30 or 90 days. The rates and
 * the chart data are resolved once a minute per process, and the chart is sent by file_id once
 * drawn (chartPhotos.ts), so a crowd asking at once costs Redis reads, not renders.
 */
export function ratesFeature(deps: {
  rates: RatesService;
  translate: Translate;
  charts: ChartPhotos;
}): Composer<BotContext> {
  const { rates, translate, charts } = deps;
  const resolved = new AnswerCache<ResolvedRates>(4);
  const chartData = new AnswerCache<ChartSource | undefined>(64);
  const current = (today: string) =>
    resolved.get(today, async () => {
      const result = await rates.current(INTERACTIVE_RETRY, today);
      return { value: result, ttlMs: result.kind === "official" ? OFFICIAL_FOR_MS : FAILURE_FOR_MS };
    });
  const chartOf = (days: number, language: Language, today: string) =>
    chartData.get(`${days}:${language}:${today}`, async () => ({
      value: await rates.chartSource(days, language, "USD", today),
      ttlMs: CHART_DATA_FOR_MS,
    }));

  const feature = new Composer<BotContext>();

  feature.command("rates", async (ctx) => {
    const today = rates.today();
    // Only a cold answer may wait on NBK; a cached one goes out before "typing…" would show.
    if (!resolved.has(today)) await ctx.replyWithChatAction("typing").catch(() => {});
    const text = rates.message(await current(today), ctx.language, today);
    if (!text) {
      ctx.log.warn("no rates to show");
      await ctx.reply(ctx.t("rates-unavailable"));
      return;
    }
    const source = await chartOf(DEFAULT_DAYS, ctx.language, today).catch((err: Error) => {
      ctx.log.warn({ err }, "chart data unavailable; sending text only");
      return undefined;
    });
    const textOnly = () => ctx.reply(text, { parse_mode: "HTML" });
    if (!source) {
      await textOnly();
      return;
    }
    const reply_markup = chartKeyboard(translate, ctx.language, DEFAULT_DAYS);
    await charts
      .send(source, (photo) => ctx.replyWithPhoto(photo, { caption: text, parse_mode: "HTML", reply_markup }))
      .catch(async (err: unknown) => {
        if (err instanceof GrammyError || err instanceof HttpError) throw err;
        ctx.log.warn({ err }, "chart failed; sending text only");
        await textOnly();
      });
  });

  feature.filter(
    (ctx) => ctx.action?.kind === "ratesChart",
    async (ctx) => {
      if (ctx.action?.kind !== "ratesChart") return;
      const days = ctx.action.days;
      const today = rates.today();
      const text = rates.message(await current(today), ctx.language, today);
      const source = text ? await chartOf(days, ctx.language, today) : undefined;
      await ctx.answerCallbackQuery();
      if (!text || !source) return;
      const reply_markup = chartKeyboard(translate, ctx.language, days);
      await charts
        .send(source, (media) =>
          ctx.editMessageMedia({ type: "photo", media, caption: text, parse_mode: "HTML" }, { reply_markup }),
        )
        .catch((err: unknown) => {
          // The button of the chart already shown: the same file_id, caption and keyboard.
          if (err instanceof GrammyError && /message is not modified/i.test(err.description)) return;
          throw err;
        });
    },
  );

  return feature;
}
