/**
 * Escapes text for Telegram's HTML parse mode. Everything that did not come from locales/ (feed
 * titles, user names, topic names with "&") goes through here before it joins an HTML message.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
