import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * The deployment files' essentials, checked as text: no Docker daemon is needed, so a broken
 * compose file or Dockerfile fails here before it fails on a server.
 */

const root = new URL("../../../", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), "utf8");

type Service = {
  build?: unknown;
  image?: string;
  command?: string[] | string;
  env_file?: string | string[];
  environment?: Record<string, string> | string[];
  volumes?: string[];
  restart?: string;
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: string[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerfileInstructions(text: string): Array<{ keyword: string; args: string }> {
  const joined = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml")) as Compose;
  const bot = compose.services.bot as Service;
  const redis = compose.services.redis as Service;
  const command = () => (Array.isArray(redis.command) ? redis.command.join(" ") : String(redis.command));

  it("runs the bot built from the Dockerfile, configured from .env", () => {
    expect(bot).toBeDefined();
    expect(bot.build).toBeDefined();
    expect([bot.env_file].flat()).toContain(".env");
    expect(bot.environment).toMatchObject({ REDIS_URL: "redis://redis:6379", HTTP_PORT: "8080" });
    expect(bot.restart).toMatch(/^(always|unless-stopped)$/);
  });

  it("starts the bot only once Redis answers its healthcheck", () => {
    expect(bot.depends_on).toMatchObject({ redis: { condition: "service_healthy" } });
    expect([redis.healthcheck?.test].flat().join(" ")).toMatch(/redis-cli ping/);
  });

  it("keeps Redis on a named volume with AOF persistence", () => {
    expect(redis.image).toMatch(/^redis:7-alpine$/);
    expect(command()).toMatch(/--appendonly yes/);
    expect(command()).toMatch(/--appendfsync everysec/);
    // BullMQ breaks if Redis evicts its keys.
    expect(command()).toMatch(/--maxmemory-policy noeviction/);
    const volume = redis.volumes?.find((v) => v.endsWith(":/data"));
    expect(volume).toBeDefined();
    const name = (volume as string).split(":")[0] as string;
    expect(Object.keys(compose.volumes ?? {})).toContain(name);
    expect(redis.restart).toMatch(/^(always|unless-stopped)$/);
  });

  it("does not publish Redis, nor the bot's port beyond this host", () => {
    expect(redis.ports).toBeUndefined();
    for (const port of bot.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
  });
});

describe("Dockerfile", () => {
  const instructions = dockerfileInstructions(read("Dockerfile"));
  const stages = instructions.filter((i) => i.keyword === "FROM");
  const lastStageAt = instructions.lastIndexOf(stages.at(-1) as { keyword: string; args: string });
  const runtime = instructions.slice(lastStageAt);

  it("builds in one Node 24 stage and runs from another", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.args).toMatch(/^node:24[-.\w]*-slim\b/);
    expect(stages[0]?.args).toMatch(/ AS build$/i);
  });

  it("installs production dependencies only in the runtime stage", () => {
    const runs = runtime.filter((i) => i.keyword === "RUN").map((i) => i.args);
    expect(runs.some((r) => /npm (ci|install)\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /fonts-dejavu-core/.test(r))).toBe(true);
  });

  it("copies the compiled code, data, locales and the command into the runtime stage", () => {
    const copies = runtime.filter((i) => i.keyword === "COPY").map((i) => i.args);
    expect(copies).toContain("--from=build /app/dist ./dist");
    for (const dir of ["data", "locales", "bin"]) expect(copies).toContain(`${dir} ./${dir}`);
    expect(copies.some((c) => /\bpackage\.json\b/.test(c))).toBe(true);
  });

  it("runs as a non-root user with a healthcheck on /healthz and the HTTP port exposed", () => {
    const user = runtime.filter((i) => i.keyword === "USER").at(-1);
    expect(user?.args).toBeDefined();
    expect(user?.args).not.toMatch(/^(root|0)(:|$)/);
    const health = runtime.find((i) => i.keyword === "HEALTHCHECK");
    expect(health?.args).toMatch(/CMD .*node.*\/healthz/);
    expect(runtime.some((i) => i.keyword === "EXPOSE" && i.args === "8080")).toBe(true);
    expect(runtime.some((i) => i.keyword === "ENV" && /HTTP_PORT=8080/.test(i.args))).toBe(true);
    expect(runtime.at(-1)).toEqual({ keyword: "CMD", args: '["node", "dist/main.js"]' });
  });

  it("keeps secrets and bulk out of the build context", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const entry of [".env", "node_modules", ".git", "dist", "test"]) expect(ignored).toContain(entry);
    // What the Dockerfile copies must not be ignored.
    for (const entry of ["src", "data", "locales", "bin", "package.json", "package-lock.json"]) {
      expect(ignored).not.toContain(entry);
    }
  });
});

describe("CI builds and smoke-tests the image", () => {
  const ci = read(".ci/run");
  const smoke = read("scripts/image-smoke.sh");

  it("runs scripts/image-smoke.sh after the tests, and promtool over the alert rules", () => {
    const testsAt = ci.indexOf("npm test");
    expect(testsAt).toBeGreaterThan(0);
    expect(ci.lastIndexOf("scripts/image-smoke.sh")).toBeGreaterThan(testsAt);
    expect(ci).toMatch(/promtool" test rules alerts\.test\.yml/);
    // The failover test needs redis-sentinel (or redis-server --sentinel).
    expect(ci).toMatch(/redis-sentinel/);
  });

  it("keeps both scripts executable", () => {
    for (const file of [".ci/run", "scripts/image-smoke.sh"]) {
      expect(statSync(new URL(file, root)).mode & 0o111, file).not.toBe(0);
    }
  });

  it("keeps HEALTHCHECK through podman (docker format) and checks what the issue asked for", () => {
    expect(smoke).toMatch(/--format docker/);
    for (const check of [
      "/healthz",
      "/readyz",
      "/metrics",
      "HEALTHCHECK passes",
      "SIGTERM: exit 0",
      "not root",
    ]) {
      expect(smoke).toContain(check);
    }
    // The stand-in tools are found beside the repository, as in the shared layout.
    expect(smoke).toMatch(/\$ROOT\/\.\.\/shared\/tools\/container-smoke/);
  });
});
