import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { classifyTelegramError } from "../../../src/delivery/telegramErrors.js";

const api = (error_code: number, description: string, parameters = {}) => ({
  ok: false as const,
  error_code,
  description,
  parameters,
});

const grammy = (error_code: number, description: string, parameters = {}) =>
  new GrammyError(
    `Call to 'sendMessage' failed! (${error_code}: ${description})`,
    api(error_code, description, parameters),
    "sendMessage",
    { chat_id: 1 },
  );

describe("classifyTelegramError", () => {
  it("429 → rate-limited with retry_after in ms", () => {
    expect(
      classifyTelegramError(grammy(429, "Too Many Requests: retry after 7", { retry_after: 7 })),
    ).toMatchObject({
      action: "rate-limited",
      retryAfterMs: 7000,
    });
    // Without parameters, the number in the description; without either, a safe default.
    expect(classifyTelegramError(api(429, "Too Many Requests: retry after 2"))).toMatchObject({
      retryAfterMs: 2000,
    });
    expect(classifyTelegramError(api(429, "Too Many Requests"))).toMatchObject({ retryAfterMs: 3000 });
  });

  it.each([
    [403, "Forbidden: bot was blocked by the user", "blocked"],
    [403, "Forbidden: user is deactivated", "gone"],
    [403, "Forbidden: bot was kicked from the supergroup chat", "blocked"],
    [403, "Forbidden: bot was kicked from the group chat", "blocked"],
    [403, "Forbidden: bot is not a member of the channel chat", "blocked"],
    [403, "Forbidden: bot can't initiate conversation with a user", "blocked"],
    [403, "Forbidden: something new Telegram invented", "blocked"],
    [400, "Bad Request: chat not found", "gone"],
    [400, "Bad Request: group chat was deleted", "gone"],
    [400, "Bad Request: PEER_ID_INVALID", "gone"],
    [400, "Bad Request: have no rights to send a message", "blocked"],
    [400, "Bad Request: not enough rights to send text messages to the chat", "blocked"],
  ])("%i %s → deactivate %s", (code, description, status) => {
    expect(classifyTelegramError(grammy(code, description))).toMatchObject({ action: "deactivate", status });
    expect(classifyTelegramError(api(code, description))).toMatchObject({ action: "deactivate", status });
  });

  it("400 with migrate_to_chat_id → migrate to the new id", () => {
    const err = grammy(400, "Bad Request: group chat was upgraded to a supergroup chat", {
      migrate_to_chat_id: -1001234567890,
    });
    expect(classifyTelegramError(err)).toMatchObject({ action: "migrate", toChatId: -1001234567890 });
  });

  it("other 400s → drop (a bad message must not loop)", () => {
    for (const d of [
      'Bad Request: can\'t parse entities: unsupported start tag "script"',
      "Bad Request: message is too long",
      "Bad Request: message text is empty",
    ]) {
      expect(classifyTelegramError(grammy(400, d))).toMatchObject({ action: "drop" });
    }
  });

  it("5xx, 401/404, network errors, timeouts and unknown errors → retry", () => {
    expect(classifyTelegramError(grammy(502, "Bad Gateway"))).toMatchObject({
      action: "retry",
      reason: "502 Bad Gateway",
    });
    expect(classifyTelegramError(api(500, "Internal Server Error"))).toMatchObject({ action: "retry" });
    expect(classifyTelegramError(api(401, "Unauthorized"))).toMatchObject({ action: "retry" });
    const network = new HttpError("Network request for 'sendMessage' failed!", new Error("socket hang up"));
    expect(classifyTelegramError(network)).toMatchObject({
      action: "retry",
      reason: "network: socket hang up",
    });
    const abort = Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
    expect(classifyTelegramError(abort)).toMatchObject({
      action: "retry",
      reason: expect.stringMatching(/^timeout/),
    });
    expect(classifyTelegramError("weird")).toMatchObject({ action: "retry" });
    expect(classifyTelegramError(undefined)).toMatchObject({ action: "retry" });
  });

  it("never carries the bot token into a reason", () => {
    const cause = new Error(
      "request to https://api.telegram.org/bot7000000001:AAtest-token-for-the-local-emulator-0000/sendMessage failed",
    );
    const { reason } = classifyTelegramError(
      new HttpError("Network request for 'sendMessage' failed!", cause),
    ) as {
      reason: string;
    };
    expect(reason).not.toContain("AAtest-token");
    expect(reason).toContain("[token]");
  });

  it("keeps reasons short", () => {
    const { reason } = classifyTelegramError(api(400, `Bad Request: ${"x".repeat(5000)}`)) as {
      reason: string;
    };
    expect(reason.length).toBeLessThanOrEqual(210);
  });
});

describe("classifyTelegramError: channels and forum topics", () => {
  it("a deleted topic is gone, a closed one blocked: paused, never retried or dead-lettered", () => {
    expect(classifyTelegramError(grammy(400, "Bad Request: message thread not found"))).toMatchObject({
      action: "deactivate",
      status: "gone",
    });
    expect(classifyTelegramError(api(400, "Bad Request: TOPIC_CLOSED"))).toMatchObject({
      action: "deactivate",
      status: "blocked",
    });
    expect(classifyTelegramError(api(400, "Bad Request: TOPIC_DELETED"))).toMatchObject({
      action: "deactivate",
      status: "gone",
    });
  });

  it("a channel that removed the bot or took its right to post is blocked", () => {
    for (const description of [
      "Forbidden: bot is not a member of the channel chat",
      "Bad Request: need administrator rights in the channel chat",
      "Bad Request: CHAT_WRITE_FORBIDDEN",
    ]) {
      const code = description.startsWith("Forbidden") ? 403 : 400;
      expect(classifyTelegramError(api(code, description))).toMatchObject({
        action: "deactivate",
        status: "blocked",
      });
    }
  });
});

describe("classifyTelegramError: paid broadcasts", () => {
  it("a Stars balance too low for a paid broadcast is 'unpaid', not a dropped message", () => {
    expect(
      classifyTelegramError({ error_code: 400, description: "Bad Request: BALANCE_TOO_LOW" }),
    ).toMatchObject({ action: "unpaid" });
    expect(
      classifyTelegramError({ error_code: 400, description: "Bad Request: message is empty" }),
    ).toMatchObject({
      action: "drop",
    });
  });
});
