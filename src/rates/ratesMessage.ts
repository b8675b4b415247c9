import type { Language } from "../i18n/languages.js";
import type { Translate } from "../i18n/translator.js";
import type { RatesView } from "./ratesView.js";
import type { Currency } from "./types.js";

const FLAGS: Record<Currency, string> = { USD: "🇺🇸", EUR: "🇪🇺", RUB: "🇷🇺", CNY: "🇨🇳", UZS: "🇺🇿" };
const ARROWS = { up: "▲", down: "▼", same: "=" } as const;

/**
 * The rates as a Telegram HTML message (used for /rates and the daily message): the heading,
 * which date the rates are for (decided by the view, never "today" for older data), one line per
 * currency with the change against the previous official rate, and the source. Pure.
 */
export function formatRatesMessage(view: RatesView, translate: Translate, language: Language): string {
  const t = (key: string, vars?: Record<string, string>) => translate(language, key, vars);
  const lines = view.lines.map((line) => {
    const unit = line.unit === 1 ? "" : ` (${t("rates-per-100")})`;
    const change = line.change
      ? line.change.direction === "same"
        ? ` ${ARROWS.same}`
        : ` ${ARROWS[line.change.direction]} ${line.change.amountText}`
      : "";
    return `${FLAGS[line.currency]} <b>${line.currency}</b>${unit}: <code>${line.valueText}</code>${change}`;
  });
  return [
    t("rates-heading"),
    t(`rates-for-${view.label.kind}`, { date: view.label.dateText }),
    "",
    ...lines,
    "",
    t(view.official ? "rates-source-nbk" : "rates-source-cbu"),
  ].join("\n");
}
