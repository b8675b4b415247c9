import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramEmulator } from "../../support/telegramEmulator.js";

/** file_ids as Telegram keeps them: issued per upload, every size reusable, unknown ones refused. */
const TOKEN = "44:emulator-files-test-token-000000";

type Answer = { status: number; ok: boolean; description?: string; result?: Record<string, unknown> };

describe("Telegram emulator: file_ids", () => {
  let telegram: TelegramEmulator;
  const call = async (method: string, params: Record<string, unknown>): Promise<Answer> => {
    const res = await fetch(`${telegram.apiRoot}/bot${TOKEN}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    return { status: res.status, ...((await res.json()) as Omit<Answer, "status">) };
  };
  const upload = async (method: "sendPhoto" | "editMessageMedia", params: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(params)) form.append(name, value);
    form.append("file", new Blob([new Uint8Array(64).fill(7)]), "chart.png");
    const res = await fetch(`${telegram.apiRoot}/bot${TOKEN}/${method}`, { method: "POST", body: form });
    return { status: res.status, ...((await res.json()) as Omit<Answer, "status">) };
  };
  const sizes = (answer: Answer) =>
    (answer.result?.photo as Array<{ file_id: string; width: number }> | undefined) ?? [];

  beforeAll(async () => {
    // What is tested here is the emulator itself: its answers, not its timing or its limits.
    telegram = await TelegramEmulator.start(TOKEN, { latency: false, limits: false });
    telegram.files.strict = true;
  });
  afterAll(async () => telegram.stop());

  it("lists an upload's sizes smallest first and accepts each of their file_ids", async () => {
    const sent = await upload("sendPhoto", { chat_id: "5", photo: "attach://file" });
    expect(sent.status).toBe(200);
    const listed = sizes(sent);
    expect(listed.map((s) => s.width)).toEqual([320, 800]);
    const largest = listed.at(-1)?.file_id as string;
    const again = await call("sendPhoto", { chat_id: 6, photo: largest });
    expect(again.status).toBe(200);
    expect(telegram.messagesTo(6).at(-1)?.photo).toMatchObject({ file_id: largest });
    expect(telegram.messagesTo(6).at(-1)?.photo?.data).toBeUndefined();
    expect((await call("sendPhoto", { chat_id: 6, photo: listed[0]?.file_id })).status).toBe(200);
    expect(telegram.files.uploads).toBe(1);
  });

  it("refuses a file_id it never issued, in sendPhoto and editMessageMedia", async () => {
    const refused = await call("sendPhoto", { chat_id: 5, photo: "AgACAgIAAxkBAAIC-made-up" });
    expect(refused).toMatchObject({
      status: 400,
      description: "Bad Request: wrong file identifier/HTTP URL specified",
    });
    const message = telegram.messagesTo(5).at(-1);
    const edit = await call("editMessageMedia", {
      chat_id: 5,
      message_id: message?.message_id,
      media: { type: "photo", media: "made-up" },
    });
    expect(edit.description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
    expect((await call("sendPhoto", { chat_id: 5, photo: "https://example.test/a.png" })).status).toBe(200);
  });

  it("edits media by file_id, and says 'not modified' when nothing would change", async () => {
    const first = await upload("sendPhoto", { chat_id: "7", photo: "attach://file" });
    const second = await upload("sendPhoto", { chat_id: "8", photo: "attach://file" });
    const message_id = first.result?.message_id;
    const secondId = sizes(second).at(-1)?.file_id as string;
    const edited = await call("editMessageMedia", {
      chat_id: 7,
      message_id,
      media: { type: "photo", media: secondId, caption: "c" },
    });
    expect(edited.status).toBe(200);
    expect(sizes(edited).at(-1)?.file_id).toBe(secondId);
    const same = await call("editMessageMedia", {
      chat_id: 7,
      message_id,
      media: { type: "photo", media: secondId, caption: "c" },
    });
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    const reuploaded = await upload("editMessageMedia", {
      chat_id: "7",
      message_id: String(message_id),
      media: JSON.stringify({ type: "photo", media: "attach://file" }),
    });
    expect(sizes(reuploaded).at(-1)?.file_id).not.toBe(secondId);
  });

  it("forgets every file_id on request, as Telegram does for another token", async () => {
    const sent = await upload("sendPhoto", { chat_id: "9", photo: "attach://file" });
    const id = sizes(sent).at(-1)?.file_id as string;
    telegram.files.forgetAll();
    expect((await call("sendPhoto", { chat_id: 9, photo: id })).status).toBe(400);
  });
});
