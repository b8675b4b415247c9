/**
 * `npm run eval`: relevance and topic precision/recall on the tune and test parts of
 * test/fixtures/headlines.json, and on each batch written after tuning (subsets of test).
 * Prints Markdown tables (the ones kept in docs/relevance.md).
 */
import { readFileSync } from "node:fs";
import { evaluate, formatEvaluation, parseLabelledHeadlines, splitOf } from "../news/evaluate.js";

const items = parseLabelledHeadlines(
  readFileSync(new URL("../../test/fixtures/headlines.json", import.meta.url), "utf8"),
);
for (const part of ["tune", "test"] as const) {
  process.stdout.write(`${formatEvaluation(part, evaluate(items.filter((i) => splitOf(i) === part)))}\n`);
}
const batches = [...new Set(items.flatMap((i) => (i.batch === undefined ? [] : [i.batch])))].sort();
for (const batch of batches) {
  process.stdout.write(
    `${formatEvaluation(`test, ${batch}`, evaluate(items.filter((i) => i.batch === batch)))}\n`,
  );
}
