import { existsSync } from "node:fs";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import { Chart, type ChartConfiguration, type ChartItem, type Plugin, registerables } from "chart.js";
import { isIsoDate } from "./dates.js";
import { type Currency, displayUnit, type RateSet } from "./types.js";

Chart.register(...registerables);

export type ChartPoint = {
  /** ISO date. */
  date: string;
  /** KZT per ONE unit, as stored in history (the chart scales UZS to per 100 itself). */
  value: number;
};

export type RatesChartOptions = {
  /** Already localised by the caller; drawn above the chart. */
  title: string;
  currency: Currency;
  /** Pixels; default 800×400, which Telegram shows full-width without rescaling artefacts. */
  width?: number;
  height?: number;
  /** BCP 47 locale for dates and numbers on the axes, e.g. "ru", "kk", "uz", "en". */
  locale: string;
  /** Font files to try, first found wins. Default: common DejaVu, Noto and Liberation paths. */
  fontPaths?: readonly string[];
};

/**
 * Fonts that carry Cyrillic and Latin (titles come in Russian, Kazakh, Uzbek and English).
 * Paths for Debian/Ubuntu, Fedora and Alpine; none is required: without one the chart is
 * still drawn, with whatever the canvas finds on the system.
 */
export const DEFAULT_FONT_PATHS: readonly string[] = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/TTF/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
  "/usr/share/fonts/noto/NotoSans-Regular.ttf",
  "/usr/share/fonts/google-noto/NotoSans-Regular.ttf",
  "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
];

const FONT_FAMILY = "KzuzChartSans";
const FALLBACK_FAMILY = "sans-serif";
const fontByPaths = new Map<string, string>();

/** Registers the first usable font of the list once per process; returns the family to use. */
function chartFontFamily(paths: readonly string[]): string {
  const cacheKey = paths.join("\n");
  const known = fontByPaths.get(cacheKey);
  if (known) return known;
  let family = FALLBACK_FAMILY;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const alias = `${FONT_FAMILY}-${fontByPaths.size}`;
    if (GlobalFonts.registerFromPath(path, alias)) {
      family = alias;
      break;
    }
  }
  fontByPaths.set(cacheKey, family);
  return family;
}

/** The history's values of one currency as chart points, oldest first; sets without it are skipped. */
export function chartPointsFrom(sets: readonly RateSet[], currency: Currency): ChartPoint[] {
  return sets
    .flatMap((s) => {
      const value = s.rates[currency];
      return value === undefined ? [] : [{ date: s.date, value }];
    })
    .sort((a, b) => a.date.localeCompare(b.date));
}

const LINE_COLOR = "#1565c0";
const MARK_COLOR = "#37474f";

/**
 * Renders a line chart of one currency's rate as a PNG, on the server (@napi-rs/canvas + Chart.js),
 * with the minimum, maximum and last values marked. Points with bad dates or values that are not
 * positive finite numbers are dropped (a 0 never reaches the picture). Throws RangeError when no
 * point is left: the caller should not offer a chart without history.
 */
export function renderRatesChart(points: readonly ChartPoint[], options: RatesChartOptions): Buffer {
  const unit = displayUnit(options.currency);
  const byDate = new Map<string, number>();
  for (const p of points) {
    if (isIsoDate(p.date) && Number.isFinite(p.value) && p.value > 0) byDate.set(p.date, p.value * unit);
  }
  const series = [...byDate.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (series.length === 0) throw new RangeError("no valid points to chart");

  const width = clamp(Math.round(options.width ?? 800), 200, 2000);
  const height = clamp(Math.round(options.height ?? 400), 150, 1200);
  const family = chartFontFamily(options.fontPaths ?? DEFAULT_FONT_PATHS);
  const dayMonth = dateFormat(options.locale);
  const number = numberFormat(options.locale);
  const values = series.map(([, v]) => v);

  const canvas = createCanvas(width, height);
  const config: ChartConfiguration<"line", number[], string> = {
    type: "line",
    data: {
      labels: series.map(([date]) => dayMonth.format(new Date(`${date}T00:00:00Z`))),
      datasets: [
        {
          data: values,
          borderColor: LINE_COLOR,
          backgroundColor: "rgba(21, 101, 192, 0.08)",
          fill: true,
          borderWidth: 2,
          tension: 0,
          pointRadius: values.length > 1 ? 0 : 4,
        },
      ],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      layout: { padding: { top: 8, right: 56, bottom: 8, left: 8 } },
      font: { family, size: 13 },
      plugins: {
        legend: { display: false },
        tooltip: { enabled: false },
        title: {
          display: true,
          text: options.title,
          font: { family, size: 17, weight: "bold" },
          color: "#212121",
        },
      },
      scales: {
        x: {
          ticks: {
            font: { family, size: 12 },
            color: "#424242",
            maxRotation: 0,
            autoSkip: true,
            maxTicksLimit: 8,
          },
          grid: { display: false },
        },
        y: {
          grace: "8%",
          ticks: { font: { family, size: 12 }, color: "#424242", callback: (v) => number.format(Number(v)) },
          grid: { color: "#e0e0e0" },
        },
      },
    },
    plugins: [whiteBackground, extremesMarker(values, number, family)],
  };

  // Chart.js takes the node canvas's context in place of a browser one; with animation off it
  // draws synchronously in the constructor.
  const chart = new Chart(canvas.getContext("2d") as unknown as ChartItem, config);
  try {
    return canvas.toBuffer("image/png");
  } finally {
    chart.destroy();
  }
}

const whiteBackground: Plugin<"line"> = {
  id: "kzuzWhiteBackground",
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Marks the minimum, maximum and last value with a dot and the number (no words: nothing to localise). */
function extremesMarker(values: number[], number: Intl.NumberFormat, family: string): Plugin<"line"> {
  return {
    id: "kzuzExtremes",
    afterDatasetsDraw(chart) {
      const meta = chart.getDatasetMeta(0);
      const last = values.length - 1;
      const min = values.indexOf(Math.min(...values));
      const max = values.indexOf(Math.max(...values));
      const marks = new Map<number, "above" | "below" | "right">([
        [last, "right"],
        [min, "below"],
        [max, "above"],
      ]);
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.font = `bold 12px ${family}`;
      for (const [index, place] of marks) {
        const point = meta.data[index];
        const value = values[index];
        if (!point || value === undefined) continue;
        ctx.fillStyle = index === last ? LINE_COLOR : MARK_COLOR;
        ctx.beginPath();
        ctx.arc(point.x, point.y, 3.5, 0, Math.PI * 2);
        ctx.fill();
        const text = number.format(value);
        const textWidth = ctx.measureText(text).width;
        let x = point.x - textWidth / 2;
        let y = place === "above" ? point.y - 8 : point.y + 18;
        if (place === "right") {
          x = point.x + 6;
          y = point.y + 4;
        }
        // Keep labels inside the picture (the right padding leaves room for the last value).
        x = clamp(x, chartArea.left + 2, chart.width - textWidth - 2);
        y = clamp(y, chartArea.top + 12, chartArea.bottom - 4);
        ctx.fillText(text, x, y);
      }
      ctx.restore();
    },
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function dateFormat(locale: string): Intl.DateTimeFormat {
  const options = { day: "2-digit", month: "2-digit", timeZone: "UTC" } as const;
  try {
    return new Intl.DateTimeFormat(locale, options);
  } catch {
    return new Intl.DateTimeFormat("en", options);
  }
}

function numberFormat(locale: string): Intl.NumberFormat {
  const options = { minimumFractionDigits: 2, maximumFractionDigits: 2 } as const;
  try {
    return new Intl.NumberFormat(locale, options);
  } catch {
    return new Intl.NumberFormat("en", options);
  }
}
