import { z } from "zod";
import { LANGUAGES } from "../i18n/languages.js";

/**
 * Every inline button's data is built and parsed here. Telegram returns callback data verbatim
 * from the client, so it is untrusted input: anything that does not parse is answered and
 * ignored, never acted on. Data stays under Telegram's 64-byte limit.
 */
const callbackSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("lang"), language: z.enum(LANGUAGES) }),
]);

export type CallbackAction = z.infer<typeof callbackSchema>;

export function encodeCallback(action: CallbackAction): string {
  switch (action.kind) {
    case "lang":
      return `lang:${action.language}`;
  }
}

/** Parses callback data; undefined for forged, outdated or unknown data. */
export function decodeCallback(data: string | undefined): CallbackAction | undefined {
  if (!data || data.length > 64) return undefined;
  const [kind, ...rest] = data.split(":");
  const candidate = kind === "lang" ? { kind, language: rest[0] } : undefined;
  const parsed = callbackSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}
