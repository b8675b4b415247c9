/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`) into its top frames by self time, and by
 * package (node_modules/<name>, the bot's src/, node internals), so a benchmark can say where the
 * time goes without opening a profiler.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
};
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };

export type ProfileSummary = {
  file: string;
  totalMs: number;
  topFrames: Array<{ frame: string; selfMs: number; percent: number }>;
  byPackage: Array<{ where: string; selfMs: number; percent: number }>;
};

/**
 * The main thread's profile of the newest process in `dir` (Node names them
 * `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`; thread 0 is the main one, the others are
 * loader workers such as tsx's).
 */
export function newestProfile(dir: string): string | undefined {
  let newest: { path: string; mtime: number } | undefined;
  for (const name of readdirSync(dir)) {
    if (!/\.0\.\d+\.cpuprofile$/.test(name)) continue;
    const path = join(dir, name);
    const mtime = statSync(path).mtimeMs;
    if (!newest || mtime > newest.mtime) newest = { path, mtime };
  }
  return newest?.path;
}

function packageOf(url: string): string {
  if (url === "") return "(native / GC / idle)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] as string;
  if (url.startsWith("node:")) return "node internals";
  const src = /\/(src|bench|test)\/(.+)$/.exec(url);
  if (src) return `${src[1]}/${(src[2] as string).split("/")[0]}`;
  return url;
}

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const samples = profile.samples.length || 1;
  const msPerSample = totalMs / samples;
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const short = url.replace(/^file:\/\/.*?\/(node_modules|src|bench|test)\//, "$1/");
    const frame = `${functionName || "(anonymous)"} ${short}${url ? `:${lineNumber + 1}` : ""}`;
    frames.set(frame, (frames.get(frame) ?? 0) + hits);
    const where = functionName === "(idle)" ? "(idle)" : packageOf(url);
    packages.set(where, (packages.get(where) ?? 0) + hits);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({
        name,
        selfMs: Math.round(hits * msPerSample),
        percent: Math.round((hits / samples) * 1000) / 10,
      }));
  return {
    file,
    totalMs: Math.round(totalMs),
    topFrames: rank(frames).map(({ name, ...rest }) => ({ frame: name, ...rest })),
    byPackage: rank(packages).map(({ name, ...rest }) => ({ where: name, ...rest })),
  };
}
