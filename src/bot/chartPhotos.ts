import { setTimeout as sleep } from "node:timers/promises";
import { GrammyError, InputFile } from "grammy";
import type { Message } from "grammy/types";
import type { Logger } from "../logger.js";
import { type ChartFileCache, chartId } from "../rates/chartCache.js";
import { type ChartSource, renderChartSource } from "../rates/ratesService.js";
import { AnswerCache } from "./answerCache.js";

/** Sends one photo (a reply, or an edit of a message's media) as a file_id or an upload. */
export type SendPhoto = (photo: string | InputFile) => Promise<Message | true>;

export type ChartPhotosHooks = {
  /** A chart was drawn (counted: renders per request is a load figure). */
  onRender?: () => void;
  /** A chart went out by a cached file_id. */
  onCacheHit?: () => void;
};

/**
 * Rates charts as Telegram photos, drawn once per chart id (see rates/chartCache.ts): the first
 * send uploads the PNG and stores the file_id Telegram returned (its largest size); every later
 * send, in any process, passes that file_id. While an upload is in flight, other sends of the
 * same chart wait for its file_id instead of drawing and uploading their own: in this process by
 * sharing the upload, in others by a short claim in Redis. A file_id that Telegram no longer
 * accepts is forgotten and the chart is drawn and uploaded again.
 */
export class ChartPhotos {
  private readonly uploading = new Map<string, Promise<string | undefined>>();
  /** Drawn charts kept briefly, so an upload that failed (a 429, a blocked chat) is not drawn again. */
  private readonly drawn = new AnswerCache<Buffer>(8);

  constructor(
    private readonly files: ChartFileCache,
    private readonly logger: Logger,
    private readonly hooks: ChartPhotosHooks = {},
  ) {}

  async send(source: ChartSource, send: SendPhoto): Promise<Message | true> {
    const id = chartId(source);
    for (;;) {
      const inFlight = this.uploading.get(id);
      const fileId = inFlight ? await inFlight : await this.stored(id);
      if (fileId) {
        try {
          const sent = await send(fileId);
          this.hooks.onCacheHit?.();
          return sent;
        } catch (err) {
          if (!isStaleFileId(err)) throw err;
          this.logger.warn({ chartId: id }, "telegram no longer knows the chart's file_id; uploading again");
          await this.files.forget(id, fileId).catch(() => {});
          return this.upload(id, source, send);
        }
      }
      // Checked and claimed in one synchronous step: of many sends that found nothing at the
      // same moment, one uploads and the others wait for its file_id (or try next if it failed).
      if (!this.uploading.has(id)) return this.upload(id, source, send);
    }
  }

  private async stored(id: string): Promise<string | undefined> {
    return this.files.get(id).catch((err: Error) => {
      this.logger.warn({ err }, "chart cache unreadable; drawing the chart");
      return undefined;
    });
  }

  private async upload(id: string, source: ChartSource, send: SendPhoto): Promise<Message | true> {
    let settle: (fileId: string | undefined) => void = () => {};
    const pending = new Promise<string | undefined>((resolve) => {
      settle = resolve;
    });
    this.uploading.set(id, pending);
    let claimed = false;
    try {
      claimed = await this.claim(id);
      const other = claimed ? undefined : await this.uploadedElsewhere(id);
      if (other === CLAIMED) claimed = true;
      else if (other) {
        try {
          const sent = await send(other);
          this.hooks.onCacheHit?.();
          settle(other);
          return sent;
        } catch (err) {
          if (!isStaleFileId(err)) throw err;
        }
      }
      const png = await this.drawn.get(id, async () => {
        const drawn = renderChartSource(source);
        this.hooks.onRender?.();
        return { value: drawn, ttlMs: DRAWN_FOR_MS };
      });
      const sent = await send(new InputFile(png, "rates.png"));
      const fileId = sent === true ? undefined : largestPhotoOf(sent);
      if (fileId) {
        await this.files.remember(id, fileId).catch((err: Error) => {
          this.logger.warn({ err }, "chart file_id not stored; the next send draws again");
        });
      }
      settle(fileId);
      return sent;
    } catch (err) {
      settle(undefined);
      throw err;
    } finally {
      if (this.uploading.get(id) === pending) this.uploading.delete(id);
      if (claimed) await this.files.releaseDrawing(id).catch(() => {});
    }
  }

  /** Redis down: draw rather than wait on a claim nobody can see. */
  private claim(id: string): Promise<boolean> {
    return this.files.claimDrawing(id, CLAIM_MS).catch(() => true);
  }

  /**
   * Waits while another process draws and uploads the chart: its file_id, CLAIMED when its claim
   * ended without one (its upload failed) and is now ours, undefined when it took too long.
   */
  private async uploadedElsewhere(id: string): Promise<string | typeof CLAIMED | undefined> {
    for (let waited = 0; waited < CLAIM_MS; waited += CLAIM_POLL_MS) {
      await sleep(CLAIM_POLL_MS);
      const fileId = await this.stored(id);
      if (fileId) return fileId;
      if (await this.claim(id)) {
        // The claimant may have stored its file_id between our read and its release.
        const late = await this.stored(id);
        if (!late) return CLAIMED;
        await this.files.releaseDrawing(id).catch(() => {});
        return late;
      }
    }
    return undefined;
  }
}

/**
 * How long another process's claim on drawing a chart is respected: a render and an upload take
 * well under a second, but an upload waits out a 429's retry_after.
 */
const CLAIM_MS = 5_000;
const CLAIM_POLL_MS = 150;
const CLAIMED = Symbol("claimed");

/** Long enough to outlast an upload's retries after a 429; a chart is ~30–60 KB. */
const DRAWN_FOR_MS = 60_000;

/** Telegram lists a photo's sizes smallest first; the last is the original upload. */
function largestPhotoOf(message: Message): string | undefined {
  return message.photo?.at(-1)?.file_id;
}

/**
 * Telegram's answer to a file_id it does not know (another bot's, expired, or from before a
 * token change): "Bad Request: wrong file identifier/HTTP URL specified", or "wrong remote file
 * identifier specified" for a malformed one.
 */
export function isStaleFileId(err: unknown): boolean {
  return (
    err instanceof GrammyError &&
    err.error_code === 400 &&
    /wrong (remote )?file identifier/i.test(err.description)
  );
}
