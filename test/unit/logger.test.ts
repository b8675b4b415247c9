import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactSecrets, redactUrl } from "../../src/logger.js";

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
