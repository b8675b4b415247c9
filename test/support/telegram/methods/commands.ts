/** setMyCommands, deleteMyCommands, getMyCommands: menus kept per scope and language. */
import { parseMaybeJson } from "../http.js";
import type { Json } from "../types.js";
import { checkCommands } from "../validation.js";

export type BotCommand = { command: string; description: string };

const badRequest = (description: string) => ({ ok: false, error_code: 400, description });

function commandKey(scope: Json, languageCode: string | undefined): string {
  const chat = scope.chat_id === undefined ? "" : `:${scope.chat_id}`;
  const user = scope.user_id === undefined ? "" : `:${scope.user_id}`;
  return `${scope.type}${chat}${user}|${languageCode ?? ""}`;
}

/** Runs one of the command-menu methods against `commands` (scope|language → menu). */
export function commandMethod(
  commands: Map<string, BotCommand[]>,
  method: string,
  params: Json,
): { result: unknown } | Json {
  switch (method) {
    case "setMyCommands": {
      const scope = (parseMaybeJson(params.scope) as Json | undefined) ?? { type: "default" };
      const key = commandKey(scope, params.language_code as string | undefined);
      const commandError = checkCommands(parseMaybeJson(params.commands));
      if (commandError) return badRequest(commandError);
      commands.set(key, parseMaybeJson(params.commands) as Array<{ command: string; description: string }>);
      return { result: true };
    }
    case "deleteMyCommands": {
      const scope = (parseMaybeJson(params.scope) as Json | undefined) ?? { type: "default" };
      commands.delete(commandKey(scope, params.language_code as string | undefined));
      return { result: true };
    }
    case "getMyCommands": {
      const scope = (parseMaybeJson(params.scope) as Json | undefined) ?? { type: "default" };
      return {
        result: commands.get(commandKey(scope, params.language_code as string | undefined)) ?? [],
      };
    }
    default:
      return badRequest(`Bad Request: ${method} is not a command method`);
  }
}
