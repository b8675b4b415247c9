import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotHarness } from "../support/botHarness.js";
import { businessDay, ratesOn } from "../support/nbkServer.js";

function todayInAlmaty(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Almaty" }).format(new Date());
}

function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** /rates end to end: the real bot, a local NBK, a real Redis. */
describe("/rates", () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await BotHarness.start();
    // The bot backfills 90 days of history on its first start; the chart needs it.
    for (let i = 0; i < 100 && (await h.redis.client.zcard(`${h.redis.prefix}:rates:dates`)) < 50; i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => h?.close());

  it("shows the four rates and UZS with their date, source and a 30-day chart", async () => {
    const user = h.telegram.user(4001, { languageCode: "en" });
    const reply = await user.ask("/rates");
    const day = businessDay(todayInAlmaty());
    const [y, m, d] = day.split("-");
    const expected = ratesOn(day);

    expect(reply.method).toBe("sendPhoto");
    const caption = reply.caption ?? "";
    expect(caption).toContain("Official NBK exchange rates");
    // Labelled with the date the rates are for, which is today only on a business day.
    expect(caption).toContain(day === todayInAlmaty() ? `for today, ${d}.${m}.${y}` : `for ${d}.${m}.${y}`);
    for (const currency of ["USD", "EUR", "RUB", "CNY"] as const) {
      const value = expected[currency]?.value.toFixed(2) as string;
      expect(caption).toContain(`<b>${currency}</b>: <code>${value}</code>`);
    }
    expect(caption).toContain(`<b>UZS</b> (per 100): <code>${expected.UZS?.value.toFixed(2)}</code>`);
    expect(caption).toMatch(/[▲▼=]/);
    expect(caption).toContain("Source: National Bank of Kazakhstan");
    expect(caption).not.toMatch(/\b0\.00\b|NaN/);

    const upload = reply.photo?.data;
    if (!upload) throw new Error("the chart was not uploaded");
    const png = new Uint8Array(await upload.arrayBuffer());
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngSize(png)).toEqual({ width: 800, height: 400 });
    expect(png.length).toBeGreaterThan(5_000);
    expect(png.length).toBeLessThan(200_000);
  });

  it("switches the chart to 7 and 90 days in place", async () => {
    const user = h.telegram.user(4001, { languageCode: "en" });
    const message = user.lastMessage();
    if (!message) throw new Error("no /rates message");
    const before = message.photo?.file_id;
    await user.waitForAnswer(user.press("7 days", message));
    await h.telegram.waitFor(() => message.photo?.file_id !== before, 8000, "the chart to change");
    expect(message.reply_markup?.inline_keyboard?.flat().map((b) => b.text)).toContain("• 7 days •");
  });

  it("speaks the user's language", async () => {
    const user = h.telegram.user(4002, { languageCode: "ru" });
    const reply = await user.ask("/rates");
    expect(reply.caption).toContain("Официальные курсы НБК");
    expect(reply.caption).toContain("(за 100)");
  });

  it("says the rates are unavailable rather than showing anything wrong", async () => {
    // A fresh Redis prefix has no history: with NBK down there is nothing trustworthy to show.
    const fresh = await BotHarness.start();
    try {
      fresh.nbk.mode = "down";
      const user = fresh.telegram.user(4003, { languageCode: "en" });
      const after = user.messages().length;
      user.send("/rates");
      const answer = await user.waitForMessage({ after, timeoutMs: 20_000 });
      expect(answer.text).toBe(
        "The official rates are unavailable right now. Please try again in a few minutes.",
      );
    } finally {
      await fresh.close();
    }
  });
});
