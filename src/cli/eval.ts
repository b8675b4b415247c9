/**
 * `npm run eval`: relevance and topic precision/recall on the tune and test parts of
 * test/fixtures/headlines.json. Prints Markdown tables (the ones kept in docs/relevance.md).
 */
import { readFileSync } from "node:fs";
import { evaluate, formatEvaluation, type LabelledHeadline, splitOf } from "../news/evaluate.js";

const items = JSON.parse(
  readFileSync(new URL("../../test/fixtures/headlines.json", import.meta.url), "utf8"),
) as LabelledHeadline[];
for (const part of ["tune", "test"] as const) {
  process.stdout.write(`${formatEvaluation(part, evaluate(items.filter((i) => splitOf(i) === part)))}\n`);
}
