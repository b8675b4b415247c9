import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { decodeCallback, encodeCallback } from "../../src/bot/callbackData.js";
import { detectLanguage, LANGUAGES } from "../../src/i18n/languages.js";
import { createI18n, LOCALES_DIR } from "../../src/i18n/translator.js";
import { createLogger, redactSecrets, redactUrl } from "../../src/logger.js";
import { redisKeys } from "../../src/storage/keys.js";

describe("detectLanguage", () => {
  it.each([
    ["kk", "kk"],
    ["uz", "uz"],
    ["uz-Cyrl", "uz"],
    ["ru-RU", "ru"],
    ["en-GB", "en"],
    ["de", "ru"],
    [undefined, "ru"],
    ["", "ru"],
  ])("%s → %s", (code, expected) => {
    expect(detectLanguage(code)).toBe(expected);
  });
});

describe("callback data", () => {
  it("round-trips and stays within Telegram's 64 bytes", () => {
    const data = encodeCallback({ kind: "lang", language: "kk" });
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(decodeCallback(data)).toEqual({ kind: "lang", language: "kk" });
  });

  it.each(["", "lang", "lang:", "lang:de", "nope:kk", "x".repeat(65), "lang:kk:extra:junk".repeat(5)])(
    "rejects %j",
    (data) => {
      expect(decodeCallback(data)).toBeUndefined();
    },
  );
});

describe("locales", () => {
  const ids = (locale: string) =>
    new Set(
      [...readFileSync(join(LOCALES_DIR, `${locale}.ftl`), "utf8").matchAll(/^([A-Za-z][\w-]*)\s*=/gm)].map(
        (m) => m[1] as string,
      ),
    );

  it("has every message in every language", () => {
    const all = new Set(LANGUAGES.flatMap((l) => [...ids(l)]));
    expect(all.size).toBeGreaterThan(10);
    for (const locale of LANGUAGES) {
      expect(
        [...all].filter((id) => !ids(locale).has(id)),
        locale,
      ).toEqual([]);
    }
  });

  it("renders every message without Fluent errors or isolation marks", () => {
    const i18n = createI18n();
    for (const locale of LANGUAGES) {
      const source = readFileSync(join(LOCALES_DIR, `${locale}.ftl`), "utf8");
      const variables = Object.fromEntries(
        [...source.matchAll(/\{\s*\$(\w+)\s*\}/g)].map((m) => [m[1], "X"]),
      );
      for (const id of ids(locale)) {
        const text = i18n.t(locale, id, variables);
        expect(text, `${locale}:${id}`).not.toBe(id);
        expect(text).not.toMatch(/[\u2068\u2069]|\{\s*\$/);
      }
    }
  });
});

describe("logging", () => {
  it("redacts secrets and URL passwords", () => {
    expect(redactSecrets("GET /bot123:SECRETSECRET/getMe", ["123:SECRETSECRET"])).toBe(
      "GET /bot[REDACTED]/getMe",
    );
    expect(redactUrl("redis://user:pass@host:6379/0")).toBe("redis://user:***@host:6379/0");
  });

  it("scrubs the token from messages, fields and errors", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const secret = "999:TOPSECRETTOKENVALUE";
    const child = createLoggerWith(sink, secret);
    child.info(
      { url: `https://api/bot${secret}/x`, err: new Error(`failed at /bot${secret}/getMe`) },
      `msg ${secret}`,
    );
    const text = lines.join("");
    expect(text).toContain("[REDACTED]");
    expect(text).not.toContain("TOPSECRETTOKENVALUE");
  });
});

function createLoggerWith(stream: Writable, secret: string) {
  return createLogger({ level: "info", secrets: [secret], destination: stream });
}

describe("redis keys", () => {
  it("puts every key under the prefix", () => {
    const keys = redisKeys("p1");
    expect(keys.profile(5)).toBe("p1:profile:5");
    expect(keys.lock("poll")).toBe("p1:lock:poll");
    expect(keys.pattern).toBe("p1:*");
  });
});
