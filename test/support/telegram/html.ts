/**
 * Telegram's HTML parse mode, as tdlib parses it (td/telegram/MessageEntity.cpp, parse_html):
 * the text a user sees plus its entities, or the "can't parse entities" error Telegram answers.
 * Offsets and lengths are in UTF-16 code units, as in the Bot API; error offsets are in bytes of
 * the UTF-8 text, as in Telegram's messages.
 */

export type MessageEntity = {
  type: string;
  offset: number;
  length: number;
  url?: string;
  custom_emoji_id?: string;
};

export type ParsedText = { text: string; entities: MessageEntity[] } | { error: string };

const ENTITY_TYPES: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

const byteOffset = (source: string, index: number) => Buffer.byteLength(source.slice(0, index), "utf8");

/** Reads `name="value"` / `name='value'` / `name=value` / `name` attributes of one start tag. */
function readAttributes(body: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const attribute = /([a-zA-Z0-9-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (let m = attribute.exec(body); m; m = attribute.exec(body)) {
    attributes.set((m[1] as string).toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return attributes;
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith("#x")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

/** Parses `source` in Telegram's HTML mode. Unknown `&entities;` stay as written, as in tdlib. */
export function parseHtml(source: string): ParsedText {
  type Open = { name: string; start: number; at: number; attributes: Map<string, string> };
  const stack: Open[] = [];
  const entities: MessageEntity[] = [];
  let text = "";
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === "&") {
      const m = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(source.slice(i, i + 12));
      const decoded = m ? decodeEntities(m[0]) : "&";
      text += decoded;
      i += m && decoded !== m[0] ? m[0].length : 1;
      continue;
    }
    if (ch !== "<") {
      text += ch;
      i++;
      continue;
    }
    const close = source.indexOf(">", i);
    const at = byteOffset(source, i);
    if (source[i + 1] === "/") {
      if (close < 0) return { error: `Unclosed end tag at byte offset ${at}` };
      const name = source
        .slice(i + 2, close)
        .trim()
        .toLowerCase();
      const open = stack.pop();
      if (!open) return { error: `Unexpected end tag at byte offset ${at}` };
      if (open.name !== name) {
        return {
          error: `Unmatched end tag at byte offset ${at}, expected "</${open.name}>", found "</${name}>"`,
        };
      }
      const length = text.length - open.start;
      if (length > 0) entities.push(toEntity(open, length));
      i = close + 1;
      continue;
    }
    const nameMatch = /^[a-zA-Z0-9-]+/.exec(source.slice(i + 1));
    if (!nameMatch) return { error: `Unsupported start tag at byte offset ${at}` };
    const name = nameMatch[0].toLowerCase();
    if (!(name in ENTITY_TYPES)) return { error: `Unsupported start tag "${name}" at byte offset ${at}` };
    if (close < 0) return { error: `Unclosed start tag at byte offset ${at}` };
    const attributes = readAttributes(source.slice(i + 1 + name.length, close));
    if (name === "span" && attributes.get("class") !== "tg-spoiler") {
      return { error: `Tag "span" must have class "tg-spoiler" at byte offset ${at}` };
    }
    stack.push({ name, start: text.length, at, attributes });
    i = close + 1;
  }
  const unclosed = stack.at(-1);
  if (unclosed) return { error: `Can't find end tag corresponding to start tag "${unclosed.name}"` };
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function toEntity(open: { name: string; start: number; attributes: Map<string, string> }, length: number) {
  const entity: MessageEntity = { type: ENTITY_TYPES[open.name] as string, offset: open.start, length };
  if (open.name === "a") entity.url = open.attributes.get("href") ?? "";
  if (open.name === "tg-emoji") entity.custom_emoji_id = open.attributes.get("emoji-id") ?? "";
  if (open.name === "blockquote" && open.attributes.has("expandable")) entity.type = "expandable_blockquote";
  return entity;
}

/**
 * A text or caption as Telegram reads it: parsed when `parseMode` is HTML, else taken as is;
 * an error is the full Bot API description.
 */
export function readFormatted(source: string, parseMode: unknown): ParsedText {
  if (parseMode !== "HTML") return { text: source, entities: [] };
  const parsed = parseHtml(source);
  // Confirmed: "Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 281"
  // (GitHub issues of many bots, e.g. kozalosev/DickGrowerBot#92).
  return "error" in parsed ? { error: `Bad Request: can't parse entities: ${parsed.error}` } : parsed;
}
