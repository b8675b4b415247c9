/**
 * The one-line text of an error for a person to read: an admin's feed report, a broadcast
 * summary, a CLI message, a `reason` stored with a dead letter. Logs take the error itself
 * (`logger.warn({ err }, …)`), whose serializer keeps the stack and scrubs secrets.
 */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
