/**
 * Writes "this chat got this ref" to the ledger right after each send, coalescing the sends that
 * finish while one write is in flight into the next write. Under load that is one transaction per
 * handful of messages instead of one per message; when idle it is one per message, with no timer
 * and no added latency. A send is only reported done once its record is written, so the
 * sends a SIGKILL can leave unrecorded stay bounded by the sends in flight.
 */
import type { SentCounter } from "./queue.js";

type Pending<M> = { ref: string; chatIds: readonly M[]; resolve: () => void; reject: (err: Error) => void };

/** `M`: how a recipient is named in the ledger (a chat id, or a destination with a forum topic). */
export type LedgerSink<M = number> = (
  entries: ReadonlyArray<{ ref: string; chatIds: readonly M[] }>,
  counter: SentCounter,
) => Promise<void>;

export class LedgerWriter<M = number> {
  private pending: Pending<M>[] = [];
  private writing = false;

  /**
   * @param write the transaction (DeliveryQueue.markSentMany)
   * @param counter the day's "sent" counter, asked for at each write (the day may change)
   */
  constructor(
    private readonly write: LedgerSink<M>,
    private readonly counter: () => SentCounter,
  ) {}

  /** Resolves once the chats are recorded as having received the ref. */
  record(ref: string, chatIds: readonly M[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ ref, chatIds, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          await this.write(batch, this.counter());
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err as Error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
