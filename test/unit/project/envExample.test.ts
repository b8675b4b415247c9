import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

describe(".env.example", () => {
  it("names only variables the config reads", () => {
    const config = read("src/config.ts");
    const known = new Set(
      [...config.matchAll(/^ {2}([a-z][A-Za-z]*)[,:]/gm)].map((m) =>
        (m[1] as string).replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(),
      ),
    );
    const named = [...read(".env.example").matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !known.has(name as string))).toEqual([]);
  });
});
