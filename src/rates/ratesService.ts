import type { Language } from "../i18n/languages.js";
import type { Translate } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import { type ChartPoint, chartPointsFrom, renderRatesChart } from "./chart.js";
import { addDays, todayIn } from "./dates.js";
import {
  INTERACTIVE_RETRY,
  type ResolvedRates,
  type RetrySchedule,
  resolveRatesFor,
} from "./officialRates.js";
import type { RateHistory } from "./rateHistory.js";
import { formatRatesMessage } from "./ratesMessage.js";
import { ratesViewFor } from "./ratesView.js";
import type { Currency } from "./types.js";

export type RatesSettings = {
  timezone: string;
  nbkRatesUrl: string;
  cbuFallback: boolean;
  cbuRatesUrl: string;
};

/** Intl locale tags for number and date formatting per bot language. */
const LOCALE_OF: Record<Language, string> = { ru: "ru-RU", kk: "kk-KZ", uz: "uz-Latn-UZ", en: "en-GB" };

/**
 * What /rates and the daily message need, in one place: the current official rates (resolved
 * and validated by officialRates.ts), their text in a language, and the chart.
 */
export class RatesService {
  constructor(
    private readonly deps: {
      history: RateHistory;
      settings: RatesSettings;
      logger: Logger;
      translate: Translate;
      /** Told about every resolution (metrics). */
      onResolved?: (result: ResolvedRates) => void;
    },
  ) {}

  today(now = new Date()): string {
    return todayIn(this.deps.settings.timezone, now);
  }

  /** The rates current today; `retry` bounds how long to wait for NBK. Never throws. */
  async current(retry: RetrySchedule = INTERACTIVE_RETRY, today = this.today()): Promise<ResolvedRates> {
    const { history, settings, logger } = this.deps;
    const result = await resolveRatesFor(today, {
      history,
      nbkBaseUrl: settings.nbkRatesUrl,
      logger,
      cbu: { enabled: settings.cbuFallback, baseUrl: settings.cbuRatesUrl },
      retry,
    });
    this.deps.onResolved?.(result);
    return result;
  }

  /** The message for a result, or undefined when there is nothing trustworthy to show. */
  message(result: ResolvedRates, language: Language, today = this.today()): string | undefined {
    const view = ratesViewFor(result, today, LOCALE_OF[language]);
    if (!view || view.lines.length === 0) return undefined;
    return formatRatesMessage(view, this.deps.translate, language);
  }

  /** A PNG chart of the last `days` days of official history; undefined with under two points. */
  async chart(
    days: number,
    language: Language,
    currency: Currency = "USD",
    today = this.today(),
  ): Promise<Buffer | undefined> {
    const source = await this.chartSource(days, language, currency, today);
    return source ? renderChartSource(source) : undefined;
  }

  /**
   * Everything a chart is drawn from, without drawing it (chartCache.ts keys a rendered chart by
   * it); undefined with under two points.
   */
  async chartSource(
    days: number,
    language: Language,
    currency: Currency = "USD",
    today = this.today(),
  ): Promise<ChartSource | undefined> {
    const sets = await this.deps.history.range(addDays(today, -days), today);
    const points = chartPointsFrom(sets, currency);
    const last = points.at(-1);
    if (points.length < 2 || !last) return undefined;
    const title = this.deps.translate(language, "rates-chart-title", { currency, days: String(days) });
    return { days, language, currency, ratesDate: last.date, points, title, locale: LOCALE_OF[language] };
  }
}

/** The data of one chart: `days` of `currency` up to `ratesDate` (its newest point), in `language`. */
export type ChartSource = {
  days: number;
  language: Language;
  currency: Currency;
  ratesDate: string;
  points: ChartPoint[];
  title: string;
  locale: string;
};

/** Draws a chart source as a PNG (CPU-bound, ~tens of ms: see chartCache.ts for why it is rare). */
export function renderChartSource(source: ChartSource): Buffer {
  return renderRatesChart(source.points, {
    title: source.title,
    currency: source.currency,
    locale: source.locale,
  });
}
