import { describe, expect, it } from "vitest";
import { decodeCallback } from "../../../src/bot/callbackData.js";
import { audienceLanguagesKeyboard, audienceTopicsKeyboard } from "../../../src/bot/keyboards/admin.js";
import { languageKeyboard } from "../../../src/bot/keyboards/language.js";
import {
  briefingHourKeyboard,
  confirmKeyboard,
  quietHoursKeyboard,
  ratesChoiceKeyboard,
  settingsKeyboard,
  storyLanguagesKeyboard,
  topicsKeyboard,
  unsubscribeKeyboard,
  zoneKeyboard,
} from "../../../src/bot/keyboards/subscription.js";
import { createI18n, translatorOf } from "../../../src/i18n/translator.js";
import type { Subscription } from "../../../src/storage/subscriptions.js";

const translate = translatorOf(createI18n());

const subscription: Subscription = {
  chatId: 1,
  kind: "private",
  language: "en",
  topics: ["trade"],
  rates: true,
  ratesTime: "09:00",
  status: "active",
  since: 0,
  storyLanguages: ["ru", "en"],
  keywords: [],
  deliveryMode: "briefing",
  briefingHour: 8,
};

const keyboards = {
  topics: topicsKeyboard(new Set(["trade"]), translate, "en"),
  ratesChoice: ratesChoiceKeyboard(translate, "en"),
  confirm: confirmKeyboard(translate, "en"),
  unsubscribe: unsubscribeKeyboard(translate, "en"),
  settings: settingsKeyboard(subscription, translate, "ru"),
  storyLanguages: storyLanguagesKeyboard(["en"], translate, "kk"),
  briefingHour: briefingHourKeyboard(8, translate, "uz"),
  quietHours: quietHoursKeyboard({ start: 22, end: 7 }, translate, "en"),
  zone: zoneKeyboard("Europe/Moscow", translate, "en"),
  language: languageKeyboard(translate),
  audienceTopics: audienceTopicsKeyboard(new Set(), translate, "en"),
  audienceLanguages: audienceLanguagesKeyboard(new Set(), translate, "en"),
};

describe("every keyboard", () => {
  it.each(Object.entries(keyboards))(
    "%s: no empty row, labelled buttons, data the bot reads back",
    (_, keyboard) => {
      const rows = keyboard.inline_keyboard;
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.length).toBeGreaterThan(0);
        for (const button of row) {
          expect(button.text.trim()).not.toBe("");
          expect(button.text).not.toMatch(/\{|\}/); // no untranslated Fluent placeable
          const data = "callback_data" in button ? button.callback_data : undefined;
          expect(Buffer.byteLength(data ?? "")).toBeLessThanOrEqual(64);
          expect(decodeCallback(data)).toBeDefined();
        }
      }
    },
  );
});
