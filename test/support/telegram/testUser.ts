import type { TelegramEmulator } from "./emulator.js";
import { toTelegramMessage } from "./messages.js";
import type { SentMessage, TgChat, TgUser } from "./types.js";

/** One Telegram user, as a test drives them. */
export class TestUser {
  private messageSeq = 1;

  constructor(
    readonly emulator: TelegramEmulator,
    readonly user: TgUser,
    readonly chat: TgChat,
  ) {}

  get id(): number {
    return this.user.id;
  }

  /**
   * Sends a text (or a /command) in the private chat, or in `chat` (a group); `threadId` puts it
   * in that topic of a forum, as Telegram marks it (message_thread_id, is_topic_message).
   */
  send(text: string, chat: TgChat = this.chat, threadId?: number): number {
    const entities = text.startsWith("/")
      ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]?.length ?? text.length }]
      : undefined;
    return this.emulator.pushUpdate({
      message: {
        message_id: this.messageSeq++,
        from: this.user,
        chat,
        date: Math.floor(Date.now() / 1000),
        text,
        ...(entities ? { entities } : {}),
        ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
      },
    });
  }

  /** Sends a text in a forum topic and waits for the bot's next message to that chat. */
  async askInTopic(text: string, forum: TgChat, threadId: number): Promise<SentMessage> {
    const after = this.emulator.messagesTo(forum.id).length;
    this.send(text, forum, threadId);
    return this.waitForMessage({ after, chatId: forum.id });
  }

  /**
   * Picks a chat with a request_chat keyboard button: Telegram sends the bot a chat_shared
   * service message with the button's request_id (and, unlike a forward, no text).
   */
  shareChat(requestId: number, chat: TgChat): number {
    return this.emulator.pushUpdate({
      message: {
        message_id: this.messageSeq++,
        from: this.user,
        chat: this.chat,
        date: Math.floor(Date.now() / 1000),
        chat_shared: {
          request_id: requestId,
          chat_id: chat.id,
          ...(chat.title ? { title: chat.title } : {}),
          ...(chat.username ? { username: chat.username } : {}),
        },
      },
    });
  }

  /** Forwards a post of a channel to the private chat (forward_origin of type "channel"). */
  forwardFromChannel(channel: TgChat, text = "A post"): number {
    const date = Math.floor(Date.now() / 1000);
    return this.emulator.pushUpdate({
      message: {
        message_id: this.messageSeq++,
        from: this.user,
        chat: this.chat,
        date,
        text,
        forward_origin: { type: "channel", chat: channel, message_id: 1, date },
        forward_from_chat: channel,
        forward_date: date,
      },
    });
  }

  /** Messages the bot sent to this user's private chat. */
  messages(): SentMessage[] {
    return this.emulator.messagesTo(this.chat.id);
  }

  lastMessage(): SentMessage | undefined {
    return this.messages().at(-1);
  }

  /** Waits for the n-th message (1-based) in this chat, by default the next one after `after`. */
  async waitForMessage(
    options: { after?: number; timeoutMs?: number; chatId?: number } = {},
  ): Promise<SentMessage> {
    const chatId = options.chatId ?? this.chat.id;
    const after = options.after ?? this.emulator.messagesTo(chatId).length;
    return this.emulator.waitFor(
      () => this.emulator.messagesTo(chatId)[after],
      options.timeoutMs ?? 10_000,
      `message #${after + 1} to chat ${chatId}`,
    );
  }

  /** Sends a text and waits for the bot's next message in reply. */
  async ask(text: string, chat: TgChat = this.chat): Promise<SentMessage> {
    const after = this.emulator.messagesTo(chat.id).length;
    this.send(text, chat);
    return this.waitForMessage({ after, chatId: chat.id });
  }

  /**
   * Presses an inline button by its label (exact, or containing `label` when no exact match) on
   * the newest message that has it, or on `message`. Returns the callback query id.
   */
  press(label: string | RegExp, message?: SentMessage, chat: TgChat = this.chat): string {
    const candidates = message ? [message] : [...this.emulator.messagesTo(chat.id)].reverse();
    for (const m of candidates) {
      const buttons = (m.reply_markup?.inline_keyboard ?? []).flat();
      const button =
        buttons.find((b) => (typeof label === "string" ? b.text === label : label.test(b.text))) ??
        (typeof label === "string" ? buttons.find((b) => b.text.includes(label)) : undefined);
      if (button?.callback_data !== undefined) {
        return this.pressData(button.callback_data, m, chat);
      }
    }
    const labels = candidates.flatMap((m) =>
      (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text),
    );
    throw new Error(`no button "${String(label)}" in chat ${chat.id}; buttons: ${labels.join(" | ")}`);
  }

  /** Sends a callback query with arbitrary data (e.g. forged) as if pressed on `message`. */
  pressData(
    data: string,
    message: SentMessage | undefined = this.lastMessage(),
    chat: TgChat = this.chat,
  ): string {
    const id = this.emulator.nextCallbackId();
    this.emulator.pushUpdate({
      callback_query: {
        id,
        from: this.user,
        chat_instance: String(chat.id),
        data,
        ...(message ? { message: toTelegramMessage(message, this.emulator.bot) } : {}),
      },
    });
    return id;
  }

  /** Waits for the bot's answerCallbackQuery to a press. */
  async waitForAnswer(
    callbackId: string,
    timeoutMs = 10_000,
  ): Promise<{ text?: string; show_alert?: boolean }> {
    return this.emulator.waitFor(
      () => this.emulator.callbackAnswers.get(callbackId),
      timeoutMs,
      `an answer to callback ${callbackId}`,
    );
  }

  /** Blocks the bot: sends fail with 403, and the bot gets a my_chat_member update. */
  blockBot(): void {
    this.emulator.block(this.chat.id);
    this.chatMemberUpdate(this.chat, "member", "kicked");
  }

  /** Unblocks the bot (the user then usually sends /start again). */
  unblockBot(): void {
    this.emulator.unblock(this.chat.id);
    this.chatMemberUpdate(this.chat, "kicked", "member");
  }

  /** Adds the bot to a group or removes it, as this user. */
  addBotTo(group: TgChat): void {
    this.chatMemberUpdate(group, "left", "member");
  }

  removeBotFrom(group: TgChat): void {
    this.emulator.block(group.id);
    this.chatMemberUpdate(group, "member", "left");
  }

  private chatMemberUpdate(chat: TgChat, oldStatus: string, newStatus: string): void {
    const bot = { ...this.emulator.bot };
    this.emulator.pushUpdate({
      my_chat_member: {
        chat,
        from: this.user,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { user: bot, status: oldStatus },
        new_chat_member: { user: bot, status: newStatus },
      },
    });
  }
}
