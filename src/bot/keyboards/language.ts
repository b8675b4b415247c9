import { InlineKeyboard } from "grammy";
import { LANGUAGES } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import { encodeCallback } from "../callbackData.js";
import { chunk } from "./rows.js";

/** One button per language, each labelled in its own language, two per row. */
export function languageKeyboard(translate: Translate): InlineKeyboard {
  const buttons = LANGUAGES.map((language) =>
    InlineKeyboard.text(translate(language, "language-name"), encodeCallback({ kind: "lang", language })),
  );
  return InlineKeyboard.from(chunk(buttons, 2));
}
