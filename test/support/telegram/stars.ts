/**
 * The bot's Telegram Stars balance, as paid broadcasts draw on it. Telegram's rule (Bot API,
 * "Paid Broadcasts", core.telegram.org/bots/api#paid-broadcasts): a call with
 * allow_paid_broadcast may go up to 1,000 a second, and "each message broadcasted over the free
 * amount of 30 messages per second incurs a cost of 0.1 Stars per message"; the billed count is
 * TransactionPartnerTelegramApi.request_count, "successful requests that exceeded regular limits".
 *
 * Modelled here as: a flagged send is billed when 30 or more sends (of any kind) were accepted in
 * the second before it, and refused when the balance cannot pay for it.
 */

/** Sends a second that Telegram does not bill. */
export const FREE_SENDS_PER_SECOND = 30;
/** Price of one billed message, in tenths of a Star (0.1 Star). */
const PRICE_TENTHS = 1;

/**
 * The answer to a paid send the balance cannot pay for. Modelled, not confirmed: BALANCE_TOO_LOW
 * is MTProto's error for a Stars balance too low, and the Bot API passes MTProto errors through
 * as "Bad Request: <ERROR>".
 */
export const BALANCE_TOO_LOW = "Bad Request: BALANCE_TOO_LOW";

export class StarsAccount {
  private tenths: number;
  /** Messages billed so far (request_count). */
  billed = 0;
  /** Paid sends refused for want of Stars. */
  refused = 0;
  private readonly recent: number[] = [];
  private head = 0;

  constructor(stars: number) {
    this.tenths = Math.round(stars * 10);
  }

  /** Stars left. */
  get balance(): number {
    return this.tenths / 10;
  }

  /** Whether a flagged send arriving at `now` (ms) is over the free 30 a second, so billed. */
  isBillable(now: number): boolean {
    while (this.head < this.recent.length && (this.recent[this.head] as number) <= now - 1000) this.head++;
    // Drop the consumed prefix now and then, so the list stays about a second long.
    if (this.head > 10_000) {
      this.recent.splice(0, this.head);
      this.head = 0;
    }
    return this.recent.length - this.head >= FREE_SENDS_PER_SECOND;
  }

  /** True when the balance can pay for one billed message. */
  canPay(): boolean {
    return this.tenths >= PRICE_TENTHS;
  }

  /** Records an accepted send (every one counts toward the free 30), paying for it when `billed`. */
  accept(now: number, billed: boolean): void {
    this.recent.push(now);
    if (billed) {
      this.tenths -= PRICE_TENTHS;
      this.billed++;
    }
  }
}
