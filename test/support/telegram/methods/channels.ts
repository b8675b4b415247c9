/**
 * Channels as the Bot API shows them to a bot: the bot's own membership and rights (which decide
 * whether it may post and whether it may look at members), the channel's admins, and the errors
 * Telegram answers when the bot may not do something there.
 */
import type { Json, TgChat, TgUser } from "../types.js";

/** The bot's place in a channel: an admin that may post, an admin that may not, or not in it. */
export type BotInChannel = "admin" | "admin-no-post" | "member" | "left" | "kicked";

export type ChannelState = {
  /** The bot's membership, per channel id. */
  bot: Map<number, BotInChannel>;
  /** The creator of each channel (an admin too). */
  creators: Map<number, number>;
};

export function newChannelState(): ChannelState {
  return { bot: new Map(), creators: new Map() };
}

const badRequest = (description: string) => ({ ok: false, error_code: 400, description });
const forbidden = (description: string) => ({ ok: false, error_code: 403, description });

/**
 * What Telegram answers to a message sent to a channel, or undefined when the bot may post.
 * Confirmed: "Forbidden: bot is not a member of the channel chat" (grammyjs/grammY#309).
 * Not confirmed: the wording for an admin without can_post_messages (Telegram's CHAT_ADMIN_REQUIRED
 * as the Bot API prints it; the bot treats any "need administrator rights" as blocked).
 */
export function channelSendError(state: ChannelState, chatId: number): Json | undefined {
  const bot = state.bot.get(chatId) ?? "left";
  if (bot === "admin") return undefined;
  if (bot === "left" || bot === "kicked")
    return forbidden("Forbidden: bot is not a member of the channel chat");
  return badRequest("Bad Request: need administrator rights in the channel chat");
}

/** The bot's ChatMember object in a channel. */
export function botChannelMember(state: ChannelState, chatId: number, bot: TgUser): Json {
  const place = state.bot.get(chatId) ?? "left";
  if (place === "admin" || place === "admin-no-post") {
    return {
      status: "administrator",
      user: bot,
      can_be_edited: false,
      is_anonymous: false,
      can_manage_chat: true,
      can_post_messages: place === "admin",
      can_edit_messages: place === "admin",
      can_delete_messages: false,
      can_invite_users: false,
      can_change_info: false,
    };
  }
  return { status: place, user: bot };
}

/**
 * getChatMember in a channel. The bot sees members only as an admin; otherwise Telegram refuses.
 * Not confirmed: "Bad Request: member list is inaccessible" (the wording bot authors report for a
 * channel the bot does not administer).
 */
export function channelMember(
  state: ChannelState,
  chat: TgChat,
  userId: number,
  bot: TgUser,
  admins: ReadonlySet<number>,
  users: ReadonlyMap<number, TgUser>,
): { result: unknown } | Json {
  if (userId === bot.id) return { result: botChannelMember(state, chat.id, bot) };
  const place = state.bot.get(chat.id) ?? "left";
  if (place !== "admin" && place !== "admin-no-post")
    return badRequest("Bad Request: member list is inaccessible");
  const user = users.get(userId) ?? { id: userId, is_bot: false, first_name: `User${userId}` };
  if (state.creators.get(chat.id) === userId)
    return { result: { status: "creator", user, is_anonymous: false } };
  if (admins.has(userId)) return { result: { status: "administrator", user, can_post_messages: true } };
  return { result: { status: "left", user } };
}
