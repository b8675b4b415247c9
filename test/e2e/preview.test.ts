/**
 * The preview command as a user runs it: a child process, real files and a real local feed server,
 * no Telegram and no Redis.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_FIXTURES_DIR, FeedServer } from "../support/feedServer.js";

type Run = { code: number | null; stdout: string; stderr: string };

function runPreview(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const cleanEnv = { ...process.env };
  // Preview must work without a bot token and without Redis.
  delete cleanEnv.BOT_TOKEN;
  delete cleanEnv.REDIS_URL;
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "src/cli/preview.ts", ...args], {
      cwd: new URL("../../", import.meta.url),
      env: { ...cleanEnv, REDIS_URL: "redis://127.0.0.1:1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const GAZETA = join(FEED_FIXTURES_DIR, "gazeta-ru.xml");
const KUN = join(FEED_FIXTURES_DIR, "kun-uz.xml");

function rss(items: Array<{ title: string; link: string; summary: string }>): string {
  const date = new Date(Date.now() - 3_600_000).toUTCString();
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://t.example/</link><description>t</description>
${items.map((i) => `<item><title>${i.title}</title><link>${i.link}</link><description>${i.summary}</description><pubDate>${date}</pubDate></item>`).join("\n")}
</channel></rss>`;
}

describe("preview CLI", () => {
  let dir: string;
  let server: FeedServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kzuz-preview-"));
    server = await FeedServer.start();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server?.close();
  });

  it("--json prints one parseable story per line with the documented fields", async () => {
    const run = await runPreview(["--feed", GAZETA, "--feed", KUN, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const story = JSON.parse(line);
      expect(Object.keys(story).sort()).toEqual(
        [
          "alsoReportedBy",
          "id",
          "language",
          "link",
          "published",
          "source",
          "summary",
          "title",
          "topics",
        ].sort(),
      );
      expect(story.topics.length).toBeGreaterThan(0);
      expect(Number.isFinite(Date.parse(story.published))).toBe(true);
    }
    const titles = lines.map((l) => JSON.parse(l).title as string);
    expect(titles.some((t) => t.includes("зелёный коридор"))).toBe(true);
    // A one-country story of the fixture is not sent.
    expect(titles.some((t) => t.includes("Анхор"))).toBe(false);
    // Uzbek Latin items of the Kun.uz file are recognised as such under --lang auto.
    expect(lines.map((l) => JSON.parse(l)).find((s) => s.link.includes("kun.uz"))?.language).toBe("uz-Latn");
    expect(run.stderr).toMatch(/stories from 2 feeds/);
  });

  it("--explain lists dropped items with the reason, readable and as JSON", async () => {
    const readable = await runPreview(["--feed", GAZETA, "--explain"]);
    expect(readable.code, readable.stderr).toBe(0);
    expect(readable.stdout).toMatch(/Dropped or merged:/);
    expect(readable.stdout).toMatch(
      /✗ В Ташкенте открылся новый парк у канала Анхор\n\s+gazeta-ru\.xml · \S/,
    );

    const json = await runPreview(["--feed", GAZETA, "--explain", "--json"]);
    const rows = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const rejected = rows.filter((r) => r.decision === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0].title).toContain("Анхор");
    expect(rejected[0].reason.length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.decision === "accepted").length).toBeGreaterThan(0);
  });

  it("--explain accounts for items the reader dropped or kept under a new id", async () => {
    const file = join(dir, "collisions.xml");
    const date = new Date(Date.now() - 3_600_000).toUTCString();
    const item = (title: string, link: string, guid: string) =>
      `<item><title>${title}</title><link>${link}</link><guid>${guid}</guid><pubDate>${date}</pubDate></item>`;
    writeFileSync(
      file,
      `<rss version="2.0"><channel><title>t</title>
${item("Uzbekistan and Kazakhstan sign a trade deal", "https://t.example/a", "urn:same")}
${item("Kazakhstan and Uzbekistan open a border crossing", "https://t.example/b", "urn:same")}
${item("Uzbekistan and Kazakhstan sign a trade deal", "https://t.example/a", "urn:same")}
<item><guid>urn:empty</guid></item>
</channel></rss>`,
    );
    const readable = await runPreview(["--feed", file, "--explain"]);
    expect(readable.code, readable.stderr).toBe(0);
    expect(readable.stdout).toMatch(
      /∅ \(no title\)\n\s+collisions\.xml · the item has neither a title nor a link/,
    );
    expect(readable.stdout).toMatch(
      /∅ Uzbekistan and Kazakhstan sign a trade deal\n\s+collisions\.xml · the feed lists the same item twice/,
    );
    expect(readable.stdout).toMatch(
      /⇄ Kazakhstan and Uzbekistan open a border crossing\n\s+collisions\.xml · another item of the feed has the same id guid:1-collisions-xml:urn:same/,
    );
    expect(readable.stderr).toMatch(/2 not passed on by the reader/);

    const json = await runPreview(["--feed", file, "--explain", "--json"]);
    const rows = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.decision === "dropped")).toHaveLength(2);
    expect(rows.filter((r) => r.decision === "renamed").map((r) => r.id)).toEqual([
      "url:https://t.example/a",
      "url:https://t.example/b",
    ]);
  });

  it("merges the same story from two files and shows who else reported it", async () => {
    const ru = join(dir, "ru.xml");
    const en = join(dir, "en.xml");
    writeFileSync(
      ru,
      rss([
        {
          title: "Казахстан и Узбекистан подписали газовое соглашение на $1,5 млрд",
          link: "https://ru.example.uz/gas",
          summary: "Правительства Казахстана и Узбекистана подписали соглашение о поставках газа.",
        },
      ]),
    );
    writeFileSync(
      en,
      rss([
        {
          title: "Kazakhstan and Uzbekistan sign $1.5bn gas deal",
          link: "https://en.example.kz/gas",
          summary: "The governments of Kazakhstan and Uzbekistan signed a gas supply agreement.",
        },
      ]),
    );
    const run = await runPreview(["--feed", ru, "--feed", en, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const stories = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(stories).toHaveLength(1);
    expect(stories[0].alsoReportedBy).toHaveLength(1);
  });

  it("--since drops items older than the window; without it everything the feed holds is shown", async () => {
    // The fixture's items are dated 31 March – 1 April 2026.
    const run = await runPreview(["--feed", GAZETA, "--json", "--explain", "--since", "0.001"]);
    const rows = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.decision === "accepted")).toHaveLength(0);
    expect(rows.some((r) => /backlog/.test(r.reason ?? ""))).toBe(true);
  });

  it("reads FEEDS_FILE without a bot token or Redis, fetching over HTTP", async () => {
    const url = server.feed("/gazeta.xml", "gazeta-ru.xml");
    const list = join(dir, "feeds.json");
    writeFileSync(list, JSON.stringify([{ id: "local", url, outlet: "Local Gazeta", language: "ru" }]));
    const run = await runPreview(["--json"], { FEEDS_FILE: list });
    expect(run.code, run.stderr).toBe(0);
    const stories = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(stories.length).toBeGreaterThan(0);
    expect(stories.every((s) => s.source === "Local Gazeta")).toBe(true);
    expect(server.requestCount("/gazeta.xml")).toBe(1);
  });

  it("answers bad flags, missing files and a bad feed list with a message and exit code 2", async () => {
    const unknown = await runPreview(["--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--frobnicate/);
    expect(unknown.stderr).toMatch(/--help/);

    const since = await runPreview(["--feed", GAZETA, "--since", "soon"]);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since must be a positive number/);

    const missing = await runPreview(["--feed", join(dir, "nope.xml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);

    const list = join(dir, "bad-feeds.json");
    writeFileSync(list, JSON.stringify([{ id: "Bad Id", url: "ftp://x" }]));
    const badList = await runPreview([], { FEEDS_FILE: list });
    expect(badList.code).toBe(2);
    expect(badList.stderr).toMatch(/invalid feed list/);
  });

  it("--help explains the options", async () => {
    const run = await runPreview(["--help"]);
    expect(run.code).toBe(0);
    for (const flag of ["--feed", "--json", "--explain", "--since", "--lang"])
      expect(run.stdout).toContain(flag);
  });

  it("a feed that fails is reported on stderr, and exit code 1 when all fail", async () => {
    const broken = join(dir, "broken.xml");
    writeFileSync(broken, "<html><body>not a feed</body></html>");
    const run = await runPreview(["--feed", broken]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/failed:/);
  });
});
