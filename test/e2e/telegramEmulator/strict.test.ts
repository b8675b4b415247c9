import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramEmulator } from "../../support/telegramEmulator.js";

/** Telegram's checks on what a bot sends, each with the description Telegram answers. */
const TOKEN = "43:emulator-strict-test-token-00000";

describe("Telegram emulator: as strict as Telegram", () => {
  let telegram: TelegramEmulator;
  const call = async (method: string, params: Record<string, unknown> = {}) => {
    const res = await fetch(`${telegram.apiRoot}/bot${TOKEN}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    const body = (await res.json()) as {
      ok: boolean;
      description?: string;
      result?: Record<string, unknown>;
    };
    return { status: res.status, ...body };
  };
  const html = (text: string, chat_id = 1) => call("sendMessage", { chat_id, text, parse_mode: "HTML" });

  beforeAll(async () => {
    // What is tested here is the emulator itself: its answers, not its timing or its limits.
    telegram = await TelegramEmulator.start(TOKEN, { latency: false, limits: false });
  });
  afterAll(async () => telegram.stop());

  it("answers parsed text and entities with offsets in UTF-16 units", async () => {
    const sent = await html('🇰🇿 <b>Hi</b> <a href="https://x.kz/?a=1&amp;b=2">link</a> &lt;3');
    expect(sent.result?.text).toBe("🇰🇿 Hi link <3");
    expect(sent.result?.entities).toEqual([
      { type: "bold", offset: 5, length: 2 },
      { type: "text_link", offset: 8, length: 4, url: "https://x.kz/?a=1&b=2" },
    ]);
    const quote = await html("<blockquote expandable>q</blockquote><tg-spoiler>s</tg-spoiler>");
    expect(quote.result?.entities).toEqual([
      { type: "expandable_blockquote", offset: 0, length: 1 },
      { type: "spoiler", offset: 1, length: 1 },
    ]);
  });

  it("rejects unsupported and unclosed tags with Telegram's descriptions", async () => {
    expect((await html("ab <p>x</p>")).description).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "p" at byte offset 3`,
    );
    expect((await html("ж<x>")).description).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "x" at byte offset 2`,
    );
    expect((await html("<b>open")).description).toBe(
      `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    );
    expect((await html("<b>x</i>")).status).toBe(400);
  });

  it("counts text length after parsing, in UTF-16 units", async () => {
    expect((await html(`<b>${"x".repeat(4096)}</b>`)).status).toBe(200);
    expect((await html("x".repeat(4097))).description).toBe("Bad Request: message is too long");
    // 2,048 emoji of two UTF-16 units each fill the limit exactly.
    expect((await html("😀".repeat(2048))).status).toBe(200);
    expect((await html(`${"😀".repeat(2048)}x`)).description).toBe("Bad Request: message is too long");
    expect((await html("<b></b>")).description).toBe("Bad Request: message text is empty");
    expect((await call("sendMessage", { chat_id: 1, text: "" })).description).toBe(
      "Bad Request: message text is empty",
    );
  });

  it("parses captions and limits them to 1024 characters after parsing", async () => {
    const photo = (caption: string) =>
      call("sendPhoto", { chat_id: 2, photo: "file-id", caption, parse_mode: "HTML" });
    const ok = await photo(`<i>${"c".repeat(1024)}</i>`);
    expect(ok.status).toBe(200);
    expect(ok.result?.caption_entities).toEqual([{ type: "italic", offset: 0, length: 1024 }]);
    expect((await photo("c".repeat(1025))).description).toBe("Bad Request: message caption is too long");
    expect((await photo("<q>c</q>")).description).toContain("Unsupported start tag");
    const document = await call("sendDocument", {
      chat_id: 2,
      document: "file-id",
      caption: "<b>d</b>",
      parse_mode: "HTML",
    });
    expect(document.result?.caption).toBe("d");
    expect(
      (await call("sendDocument", { chat_id: 2, document: "f", caption: "c".repeat(1025) })).description,
    ).toBe("Bad Request: message caption is too long");
    expect(
      (await call("copyMessage", { chat_id: 2, from_chat_id: 2, message_id: 1, caption: "<z>" })).status,
    ).toBe(200);
    expect(
      (
        await call("copyMessage", {
          chat_id: 2,
          from_chat_id: 2,
          message_id: 1,
          caption: "<z>",
          parse_mode: "HTML",
        })
      ).description,
    ).toContain('Unsupported start tag "z"');
    const id = ok.result?.message_id;
    expect(
      (await call("editMessageCaption", { chat_id: 2, message_id: id, caption: "<u>x", parse_mode: "HTML" }))
        .description,
    ).toContain("Can't find end tag");
  });

  it("checks inline keyboards: one action per button, callback_data 1–64 bytes", async () => {
    const withButton = (button: Record<string, unknown>) =>
      call("sendMessage", { chat_id: 3, text: "k", reply_markup: { inline_keyboard: [[button]] } });
    expect((await withButton({ text: "ok", callback_data: "ж".repeat(32) })).status).toBe(200);
    expect((await withButton({ text: "x", callback_data: "ж".repeat(33) })).description).toBe(
      "Bad Request: BUTTON_DATA_INVALID",
    );
    expect((await withButton({ text: "x", callback_data: "" })).description).toBe(
      "Bad Request: BUTTON_DATA_INVALID",
    );
    expect((await withButton({ text: "x" })).description).toBe(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
    expect((await withButton({ text: "x", url: "https://x.kz", callback_data: "a" })).status).toBe(400);
  });

  it("refuses an edit that changes nothing a user would see", async () => {
    const sent = await html("<b>same</b>", 4);
    const id = sent.result?.message_id;
    const edit = (text: string) =>
      call("editMessageText", { chat_id: 4, message_id: id, text, parse_mode: "HTML" });
    const notModified =
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
    expect((await edit("<strong>same</strong>")).description).toBe(notModified);
    expect((await edit("<i>same</i>")).status).toBe(200);
    expect((await call("editMessageReplyMarkup", { chat_id: 4, message_id: id })).description).toBe(
      notModified,
    );
  });

  it("answers a callback query once, with at most 200 characters", async () => {
    const user = telegram.user(5);
    const id = user.pressData("x");
    expect((await call("answerCallbackQuery", { callback_query_id: id, text: "y".repeat(201) })).status).toBe(
      400,
    );
    const second = user.pressData("x");
    expect((await call("answerCallbackQuery", { callback_query_id: second })).status).toBe(200);
    expect((await call("answerCallbackQuery", { callback_query_id: second })).description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
    expect((await call("answerCallbackQuery", { callback_query_id: "forged" })).status).toBe(400);
  });

  it("checks setMyCommands like Telegram", async () => {
    const set = (commands: unknown) => call("setMyCommands", { commands });
    expect((await set([{ command: "start_1", description: "d" }])).status).toBe(200);
    expect((await set([{ command: "Start", description: "d" }])).description).toBe(
      "Bad Request: BOT_COMMAND_INVALID",
    );
    expect((await set([{ command: "x".repeat(33), description: "d" }])).description).toBe(
      "Bad Request: command length must not exceed 32",
    );
    expect((await set([{ command: "x", description: " " }])).description).toBe(
      "Bad Request: command description must be non-empty",
    );
    expect((await set([{ command: "x", description: "d".repeat(257) }])).description).toBe(
      "Bad Request: command description length must not exceed 256",
    );
    const many = Array.from({ length: 101 }, (_, i) => ({ command: `c${i}`, description: "d" }));
    expect((await set(many)).description).toBe("Bad Request: BOT_COMMANDS_TOO_MUCH");
  });
});
