/** getChat, getChatMember, getChatAdministrators: what the emulator knows of chats and users. */
import type { Json, TgChat, TgUser } from "../types.js";

export type ChatDirectory = {
  chats: Map<number, TgChat>;
  users: Map<number, TgUser>;
  admins: Map<number, Set<number>>;
};

const badRequest = (description: string) => ({ ok: false, error_code: 400, description });

/** Answers one of the chat-information methods from `directory`. */
export function chatInfoMethod(
  directory: ChatDirectory,
  method: string,
  chatId: number,
  params: Json,
): { result: unknown } | Json {
  switch (method) {
    case "getChat": {
      const chat = directory.chats.get(chatId);
      return chat ? { result: chat } : badRequest("Bad Request: chat not found");
    }
    case "getChatMember": {
      const userId = Number(params.user_id);
      const user = directory.users.get(userId) ?? { id: userId, is_bot: false, first_name: `User${userId}` };
      const isAdmin = directory.admins.get(chatId)?.has(userId) ?? false;
      return { result: { status: isAdmin ? "administrator" : "member", user } };
    }
    case "getChatAdministrators": {
      const ids = [...(directory.admins.get(chatId) ?? [])];
      return {
        result: ids.map((id) => ({
          status: "administrator",
          user: directory.users.get(id) ?? { id, is_bot: false, first_name: `User${id}` },
        })),
      };
    }
    default:
      return badRequest(`Bad Request: ${method} is not a chat information method`);
  }
}
