import { InlineKeyboard, Keyboard } from "grammy";
import type { ChatAdministratorRights } from "grammy/types";
import type { Language } from "../../i18n/languages.js";
import { LANGUAGES } from "../../i18n/languages.js";
import type { Translate } from "../../i18n/translator.js";
import type { ChannelRecord } from "../../storage/destinations.js";
import type { Subscription } from "../../storage/subscriptions.js";
import { encodeCallback } from "../callbackData.js";

/** The request_id of the "choose a channel" button; Telegram hands it back in chat_shared. */
export const CHANNEL_REQUEST_ID = 1;

/** Posting is all the bot needs in a channel; the picker asks the user to grant it with the bot. */
const POST_RIGHTS: ChatAdministratorRights = {
  is_anonymous: false,
  can_manage_chat: false,
  can_delete_messages: false,
  can_manage_video_chats: false,
  can_restrict_members: false,
  can_promote_members: false,
  can_change_info: false,
  can_invite_users: false,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_send_welcome_messages: false,
  can_post_messages: true,
};

/**
 * Telegram's chat picker (KeyboardButtonRequestChat): only channels where the user may post, and
 * Telegram offers to add the bot as an admin that may post when it is not one yet.
 */
export function pickChannelKeyboard(translate: Translate, language: Language): Keyboard {
  return new Keyboard()
    .requestChat(translate(language, "button-pick-channel"), CHANNEL_REQUEST_ID, {
      chat_is_channel: true,
      user_administrator_rights: POST_RIGHTS,
      bot_administrator_rights: POST_RIGHTS,
      request_title: true,
      request_username: true,
    })
    .resized()
    .oneTime();
}

/** One button per managed channel, by title; pressing one opens its settings. */
export function channelListKeyboard(channels: readonly ChannelRecord[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const channel of channels) {
    keyboard
      .text(`📢 ${channel.title}`, encodeCallback({ kind: "channel", op: "open", chatId: channel.chatId }))
      .row();
  }
  return keyboard;
}

/** A channel's settings: the same choices as a chat's, plus pause/resume and disconnect. */
export function channelSettingsKeyboard(
  chatId: number,
  subscription: Subscription | undefined,
  translate: Translate,
  language: Language,
): InlineKeyboard {
  const t = (key: string, vars?: Record<string, string>) => translate(language, key, vars);
  const button = (label: string, op: Parameters<typeof encodeCallback>[0] & { kind: "channel" }) =>
    [label, encodeCallback(op)] as const;
  const keyboard = new InlineKeyboard();
  if (!subscription) {
    keyboard.text(...button(t("button-channel-subscribe"), { kind: "channel", op: "subscribe", chatId }));
  } else {
    keyboard
      .text(...button(t("button-settings-topics"), { kind: "channel", op: "topics", chatId }))
      .text(
        ...button(t(subscription.rates ? "button-settings-rates-on" : "button-settings-rates-off"), {
          kind: "channel",
          op: "rates",
          chatId,
        }),
      )
      .row()
      .text(
        ...button(t("button-settings-time", { time: subscription.ratesTime }), {
          kind: "channel",
          op: "time",
          chatId,
        }),
      )
      .text(...button(t("button-settings-language"), { kind: "channel", op: "language", chatId }))
      .row()
      .text(
        ...(subscription.status === "active"
          ? button(t("button-channel-pause"), { kind: "channel", op: "pause", chatId })
          : button(t("button-channel-resume"), { kind: "channel", op: "resume", chatId })),
      );
  }
  return keyboard.text(
    ...button(t("button-channel-disconnect"), { kind: "channel", op: "disconnect", chatId }),
  );
}

/** The language of a channel's stories. */
export function channelLanguageKeyboard(chatId: number, translate: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const language of LANGUAGES) {
    keyboard.text(
      translate(language, "language-name"),
      encodeCallback({ kind: "channelLang", language, chatId }),
    );
  }
  return keyboard;
}
