import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * package-lock.json must describe package.json exactly and for every platform, or `npm ci` refuses
 * a clean clone (issue #18: the lock once lacked Biome's and @napi-rs/canvas's non-Linux builds).
 * `npm ci` in .ci/run is the final word; this test names the drift before anything is installed.
 */

const root = new URL("../../../", import.meta.url);
const readJson = (file: string) => JSON.parse(readFileSync(new URL(file, root), "utf8"));

type Manifest = {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
type Lock = { lockfileVersion: number; packages: Record<string, Manifest> };

const manifest = readJson("package.json") as Manifest;
const lock = readJson("package-lock.json") as Lock;

describe("package-lock.json", () => {
  it("is a v3 lock whose root entry repeats package.json's dependency ranges", () => {
    expect(lock.lockfileVersion).toBe(3);
    const rootEntry = lock.packages[""] ?? {};
    expect(rootEntry.name).toBe(manifest.name);
    expect(rootEntry.version).toBe(manifest.version);
    expect(rootEntry.dependencies ?? {}).toEqual(manifest.dependencies ?? {});
    expect(rootEntry.devDependencies ?? {}).toEqual(manifest.devDependencies ?? {});
  });

  it("locks every direct dependency", () => {
    const direct = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
    const missing = direct.filter((name) => !lock.packages[`node_modules/${name}`]);
    expect(missing).toEqual([]);
  });

  it("locks every optional package of every locked package, for all platforms", () => {
    // npm ci checks exactly this: an optional dependency absent from the lock is "Missing from lock file".
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!path.startsWith("node_modules/")) continue;
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        const nested = `${path}/node_modules/${name}`;
        if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`])
          missing.push(`${path} → ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
