/**
 * The emulator's files: file_ids it issued for uploads, as Telegram keeps them. Telegram answers
 * an upload with several sizes of the photo (smallest first, each with its own file_id), accepts
 * any of them in a later sendPhoto or editMessageMedia, and refuses a file_id it does not know
 * (another bot's, or one it no longer has) with "wrong file identifier/HTTP URL specified".
 */

/** Confirmed wording (grammY and python-telegram-bot issue trackers quote it verbatim). */
export const WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified";

/** The sizes Telegram lists for an uploaded chart: a thumbnail and the original 800×400. */
export const PHOTO_SIZES = [
  { suffix: "-s", width: 320, height: 160 },
  { suffix: "", width: 800, height: 400 },
] as const;

export class FileIds {
  private readonly issued = new Set<string>();
  private seq = 1;
  /**
   * Refuse string file_ids the emulator did not issue, as Telegram does. Off by default: older
   * tests send made-up ids ("file-id") to check captions, not files.
   */
  strict = false;

  /** A new upload's file_id (the largest size's); every size's id is known from now on. */
  issue(prefix: string): string {
    const id = `${prefix}-${this.seq++}`;
    for (const size of PHOTO_SIZES) this.issued.add(`${id}${size.suffix}`);
    return id;
  }

  /** True when a string photo may be sent: an http(s) URL, an issued id, or anything when not strict. */
  accepts(value: string): boolean {
    if (/^https?:\/\//i.test(value)) return true;
    return this.issued.has(value) || !this.strict;
  }

  /** Telegram no longer knows any earlier file_id (as after the bot's token changed): strict from now on. */
  forgetAll(): void {
    this.issued.clear();
    this.strict = true;
  }

  /** How many distinct uploads were given ids (each upload is a chart drawn and sent as bytes). */
  get uploads(): number {
    return this.seq - 1;
  }
}
