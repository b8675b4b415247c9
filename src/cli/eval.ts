/**
 * `npm run eval`: relevance and topic precision/recall on the tune and test parts of
 * test/fixtures/headlines.json, and on the items written after the last tuning (a subset of test).
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
const late = items.filter((i) => i.writtenAfterTuning === true);
if (late.length > 0) {
  process.stdout.write(`${formatEvaluation("test, written after tuning", evaluate(late))}\n`);
}
