/**
 * Telegram rejects malformed HTML with "can't parse entities".
 */
const HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "tg-spoiler",
  "span",
  "blockquote",
  "tg-emoji",
]);

/**
 * Telegram rejects malformed HTML with "can't parse entities"; so does the emulator, so tests
 * catch a broken formatter the way production would.
 */
export function checkHtml(text: string, parseMode: unknown): string | undefined {
  if (parseMode !== "HTML") return undefined;
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z-]+)([^>]*)>|&([^;\s]*);?|</g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (m[0] === "<") return `Bad Request: can't parse entities: unexpected "<" at byte offset ${m.index}`;
    if (m[4] !== undefined) {
      if (!/^(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+)$/.test(m[4]) || !m[0].endsWith(";")) {
        return `Bad Request: can't parse entities: unsupported entity at byte offset ${m.index}`;
      }
      continue;
    }
    const name = (m[2] as string).toLowerCase();
    if (!HTML_TAGS.has(name)) return `Bad Request: can't parse entities: unsupported start tag "${name}"`;
    if (m[1]) {
      if (stack.pop() !== name) return `Bad Request: can't parse entities: unmatched end tag "${name}"`;
    } else stack.push(name);
  }
  if (stack.length > 0)
    return `Bad Request: can't parse entities: can't find end tag corresponding to start tag "${stack.at(-1)}"`;
  return undefined;
}
