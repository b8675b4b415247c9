import { InlineKeyboard } from "grammy";
import { LANGUAGES } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import { encodeCallback } from "../callbackData.js";

/** One button per language, each labelled in its own language. */
export function languageKeyboard(translate: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  LANGUAGES.forEach((language, index) => {
    keyboard.text(translate(language, "language-name"), encodeCallback({ kind: "lang", language }));
    if (index % 2 === 1) keyboard.row();
  });
  return keyboard;
}
