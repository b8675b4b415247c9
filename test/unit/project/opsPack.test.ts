import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createMetrics } from "../../../src/server/metrics.js";

/**
 * The operations pack (ops/) against the metrics the bot really exports: every metric an alert
 * rule or a dashboard panel names must exist in the registry the app builds, so a renamed
 * metric breaks this test instead of silently blanking a panel or muting an alert.
 */

const root = new URL("../../../", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), "utf8");

/** Series Prometheus adds itself for every scrape target. */
const PROMETHEUS_SERIES = new Set(["up", "scrape_duration_seconds", "scrape_samples_scraped"]);

/** Every series name the bot's /metrics can carry, with histogram and summary suffixes. */
async function exportedNames(): Promise<Set<string>> {
  // As src/app.ts builds it: with a queue depth source, default process metrics on.
  const { registry } = createMetrics({ queueDepth: async () => 0 });
  const names = new Set<string>();
  for (const line of (await registry.metrics()).split("\n")) {
    const m = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const [, name = "", type] = m;
    if (type === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(name + s);
    else if (type === "summary") for (const s of ["", "_sum", "_count"]) names.add(name + s);
    else names.add(name);
  }
  return names;
}

const PROMQL_WORDS = new Set([
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "inf",
  "nan",
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not functions, keywords,
 * label names (in {…} or by/on lists), durations or Grafana variables.
 */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\$\w+/g, " ");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = m[0];
    const after = stripped.slice((m.index ?? 0) + word.length);
    if (/^\s*\(/.test(after) || PROMQL_WORDS.has(word.toLowerCase())) continue;
    // Durations (5m, 1h) and numbers are not names.
    if (/^\d/.test(stripped[(m.index ?? 1) - 1] ?? "")) continue;
    names.add(word);
  }
  return [...names];
}

type Rule = {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};
const rules = (
  parse(read("ops/prometheus/alerts.yml")) as { groups: Array<{ rules: Rule[] }> }
).groups.flatMap((g) => g.rules);

type Panel = { id: number; type: string; title: string; targets?: Array<{ expr: string }>; panels?: Panel[] };
const dashboard = JSON.parse(read("ops/grafana/kzuz-dashboard.json")) as {
  uid: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; definition?: string }> };
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

describe("metricNamesIn", () => {
  it("finds the metrics of an expression and nothing else", () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, feed) (rate(kzuz_feed_poll_seconds_bucket{job=~"$job", feed!="x"}[5m]))) > 1 and on() hour() >= 4',
      ),
    ).toEqual(["kzuz_feed_poll_seconds_bucket"]);
    expect(metricNamesIn("max(a_total) / clamp_min(sum(b_total offset 1h), 1) unless c")).toEqual([
      "a_total",
      "b_total",
      "c",
    ]);
  });
});

describe("ops/prometheus/alerts.yml", () => {
  it("covers the failures operators asked for", () => {
    const names = rules.map((r) => r.alert);
    for (const expected of [
      "KzuzFeedsFailing",
      "KzuzDeliveryQueueGrowing",
      "KzuzDeadLetters",
      "KzuzTelegram429",
      "KzuzNbkRatesMissing",
    ]) {
      expect(names).toContain(expected);
    }
  });

  it("reads only metrics the bot exports (or Prometheus adds)", async () => {
    const exported = await exportedNames();
    for (const rule of rules) {
      const used = metricNamesIn(rule.expr);
      expect(used.length, `${rule.alert} reads no metric`).toBeGreaterThan(0);
      const unknown = used.filter((n) => !exported.has(n) && !PROMETHEUS_SERIES.has(n));
      expect(unknown, `${rule.alert}: not exported by the bot`).toEqual([]);
    }
  });

  it("gives every rule a severity and a summary, and a promtool test that makes it fire", () => {
    const tests = parse(read("ops/prometheus/alerts.test.yml")) as {
      tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
    };
    const fired = new Set(
      tests.tests.flatMap((t) =>
        t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname),
      ),
    );
    const quiet = new Set(
      tests.tests.flatMap((t) =>
        t.alert_rule_test.filter((a) => a.exp_alerts.length === 0).map((a) => a.alertname),
      ),
    );
    for (const rule of rules) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(critical|warning)$/);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(fired, `${rule.alert} never fires in alerts.test.yml`).toContain(rule.alert);
      expect(quiet, `${rule.alert} is never shown quiet in alerts.test.yml`).toContain(rule.alert);
    }
  });
});

describe("ops/grafana/kzuz-dashboard.json", () => {
  it("queries only metrics the bot exports (or Prometheus adds)", async () => {
    const exported = await exportedNames();
    const queries = [
      ...panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr }))),
      ...dashboard.templating.list
        .filter((v) => v.definition)
        .map((v) => ({
          where: `variable ${v.name}`,
          expr: (v.definition as string).replace(/^label_values\(([^,]+),.*$/, "$1"),
        })),
    ];
    expect(queries.length).toBeGreaterThan(10);
    for (const { where, expr } of queries) {
      const unknown = metricNamesIn(expr).filter((n) => !exported.has(n) && !PROMETHEUS_SERIES.has(n));
      expect(unknown, `${where}: not exported by the bot`).toEqual([]);
    }
  });

  it("shows every metric of the bot's own somewhere", async () => {
    const shown = new Set(panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNamesIn(t.expr))));
    const own = [...(await exportedNames())].filter((n) => n.startsWith("kzuz_"));
    const bases = new Set(own.map((n) => n.replace(/_(bucket|sum|count)$/, "")));
    for (const base of bases) {
      expect(
        [...shown].some((n) => n === base || n.startsWith(`${base}_`)),
        `${base} is on no panel`,
      ).toBe(true);
    }
  });

  it("has unique panel ids and a Prometheus datasource variable", () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.uid).toBe("kzuz-news-bot");
    expect(dashboard.templating.list.map((v) => v.name)).toContain("datasource");
  });
});
