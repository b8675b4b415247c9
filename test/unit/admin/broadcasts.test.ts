import { describe, expect, it } from "vitest";
import { progressText } from "../../../src/admin/broadcasts.js";
import { parseCounts } from "../../../src/admin/progress.js";
import { LANGUAGES } from "../../../src/i18n/languages.js";
import { createI18n, translatorOf } from "../../../src/i18n/translator.js";

const translate = translatorOf(createI18n());

describe("progressText: paid broadcasts and 429s", () => {
  it("a paid broadcast shows its paid messages and the most Stars they cost", () => {
    const text = progressText(
      translate,
      { id: 3, status: "done", total: 1200, language: "en", paid: true },
      parseCounts({ sent: "1200", paid: "1100" }),
      [],
    );
    expect(text).toContain("Sent: 1,200");
    expect(text).toContain("⭐ Paid: 1,100 messages above the free rate, at most 110 ⭐.");
    expect(text).not.toContain("too low");
  });

  it("reports a refusal for want of Stars and Telegram's 429s; a free broadcast shows no Stars line", () => {
    const counts = parseCounts({ sent: "300", paid: "20", unpaid: "7", "rate-limited": "2" });
    const paid = progressText(
      translate,
      { id: 4, status: "running", total: 300, language: "en", paid: true },
      counts,
      [],
    );
    expect(paid).toContain("Telegram refused 7 paid messages: the bot's Stars balance is too low.");
    expect(paid).toContain("429 answers from Telegram: 2");
    const free = progressText(
      translate,
      { id: 5, status: "done", total: 300, language: "en" },
      parseCounts({ sent: "300" }),
      [],
    );
    expect(free).not.toContain("⭐");
    expect(free).not.toContain("429");
  });

  it("has every note in all four languages", () => {
    const counts = parseCounts({ sent: "5", paid: "3", unpaid: "1", "rate-limited": "1" });
    for (const language of LANGUAGES) {
      const text = progressText(
        translate,
        { id: 6, status: "done", total: 5, language, paid: true },
        counts,
        [],
      );
      expect(text.split("\n").length, language).toBeGreaterThanOrEqual(10);
      expect(text, language).not.toMatch(/broadcast-progress-/);
    }
  });

  it("counts paid, unpaid and 429s beside the outcomes, not as processed messages", () => {
    const counts = parseCounts({ sent: "2", paid: "2", unpaid: "1", "rate-limited": "4" });
    expect(counts).toMatchObject({ sent: 2, paid: 2, unpaid: 1, "rate-limited": 4 });
    const text = progressText(
      translate,
      { id: 7, status: "running", total: 10, language: "en", paid: true },
      counts,
      [],
    );
    expect(text).toContain("Remaining: 8");
  });
});
