import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { decideAfterSend, retryDelayMs, type SendContext } from "../../../src/delivery/decide.js";

const context: SendContext = { attempt: 1, attemptsLeft: 4, hop: 0, backoffMs: 2000, paceMs: 1000 };
const apiError = (error_code: number, description: string, parameters = {}) =>
  new GrammyError(
    `Call to 'sendMessage' failed! (${error_code}: ${description})`,
    { ok: false, error_code, description, parameters },
    "sendMessage",
    {},
  );
const failed = (error: unknown) => ({ ok: false, error }) as const;

describe("decideAfterSend", () => {
  it("a send that went through is sent", () => {
    expect(decideAfterSend({ ok: true }, context)).toEqual({ type: "sent" });
  });

  it("429: every sender waits retry_after, no attempt used", () => {
    const decision = decideAfterSend(
      failed(apiError(429, "Too Many Requests: retry after 7", { retry_after: 7 })),
      {
        ...context,
        attemptsLeft: 0,
      },
    );
    expect(decision).toMatchObject({ type: "rate-limited", retryAfterMs: 7000 });
  });

  it("blocked and vanished chats are deactivated, whatever the attempts left", () => {
    expect(
      decideAfterSend(failed(apiError(403, "Forbidden: bot was blocked by the user")), context),
    ).toMatchObject({ type: "deactivate", status: "blocked" });
    expect(decideAfterSend(failed(apiError(400, "Bad Request: chat not found")), context)).toMatchObject({
      type: "deactivate",
      status: "gone",
    });
  });

  it("a migration is followed once; a second in a row is a dead letter", () => {
    const migrated = failed(
      apiError(400, "Bad Request: group chat was upgraded", { migrate_to_chat_id: -1001 }),
    );
    expect(decideAfterSend(migrated, context)).toMatchObject({ type: "migrate", toChatId: -1001 });
    expect(decideAfterSend(migrated, { ...context, hop: 1 })).toMatchObject({ type: "dead-letter" });
  });

  it("a bad message is a dead letter at once", () => {
    expect(
      decideAfterSend(failed(apiError(400, "Bad Request: can't parse entities")), context),
    ).toMatchObject({
      type: "dead-letter",
      reason: "400 Bad Request: can't parse entities",
    });
  });

  it("transient failures retry while attempts are left, then become dead letters", () => {
    const bad = failed(apiError(502, "Bad Gateway"));
    expect(decideAfterSend(bad, context)).toEqual({
      type: "retry",
      delayMs: 2000,
      reason: "502 Bad Gateway",
    });
    expect(decideAfterSend(bad, { ...context, attemptsLeft: 0 })).toEqual({
      type: "dead-letter",
      reason: "502 Bad Gateway",
    });
    const network = failed(
      new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET")),
    );
    expect(decideAfterSend(network, context)).toMatchObject({ type: "retry" });
  });
});

describe("decideAfterSend: paid broadcasts", () => {
  const noStars = failed(apiError(400, "Bad Request: BALANCE_TOO_LOW"));

  it("a paid send refused for want of Stars goes again unpaid once its chat's pace frees, whatever the attempts left", () => {
    expect(decideAfterSend(noStars, { ...context, paid: true, attemptsLeft: 0 })).toEqual({
      type: "unpaid",
      delayMs: 1000,
      reason: expect.stringContaining("BALANCE_TOO_LOW"),
    });
    expect(decideAfterSend(noStars, { ...context, paid: true, paceMs: 3000 })).toMatchObject({
      type: "unpaid",
      delayMs: 3000,
    });
  });

  it("the same refusal of a send that was not paid is a dead letter, never a loop", () => {
    expect(decideAfterSend(noStars, context)).toMatchObject({ type: "dead-letter" });
    expect(decideAfterSend(noStars, { ...context, paid: false })).toMatchObject({ type: "dead-letter" });
  });
});

describe("retryDelayMs", () => {
  it("doubles from backoffMs, and never comes before the chat's pace slot frees", () => {
    expect(retryDelayMs({ attempt: 1, backoffMs: 2000, paceMs: 1000 })).toBe(2000);
    expect(retryDelayMs({ attempt: 3, backoffMs: 2000, paceMs: 1000 })).toBe(8000);
    expect(retryDelayMs({ attempt: 1, backoffMs: 50, paceMs: 3000 })).toBe(3000);
  });
});
