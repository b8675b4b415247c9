/**
 * What a broadcast costs and how long it takes, free or paid, shown to the admin before Send.
 * Pure: the figures are tested without Telegram.
 *
 * Telegram's rule (Bot API, "Paid Broadcasts", core.telegram.org/bots/api#paid-broadcasts, and the
 * `allow_paid_broadcast` parameter of sendMessage/copyMessage, Bot API 7.11): with
 * allow_paid_broadcast a bot may send up to 1,000 messages a second; "each message broadcasted
 * over the free amount of 30 messages per second incurs a cost of 0.1 Stars per message", taken
 * from the bot's Stars balance (TransactionPartnerTelegramApi.request_count counts "the
 * successful requests that exceeded regular limits and were therefore billed"). Checked on
 * 2026-12-03 through quotes of those pages (the sendMessage parameter text in generated Bot API
 * clients, aiogram's TransactionPartnerTelegramApi page, the Paid Broadcasts sentence quoted in
 * NousResearch/hermes-agent#78689), not the pages themselves. The same quote says a balance of at
 * least 10,000 Stars is required; the emulator does not model that.
 *
 * The delivery engine sends a paid broadcast's message without the flag whenever a free slot is
 * open (FREE_SEND_RATE_LIMIT a second) and with it otherwise, so the flagged share is the most
 * Telegram can bill: the estimate counts every flagged message, an upper bound.
 */

/** Stars per message sent over the free rate (Telegram's price). */
export const STARS_PER_PAID_MESSAGE = 0.1;

/** The delivery rates a broadcast can use: free (no Stars) and, when paid broadcasts are on, paid. */
export type BroadcastRates = {
  /** Messages per second without paying (SEND_RATE_LIMIT, or FREE_SEND_RATE_LIMIT in paid mode). */
  freePerSecond: number;
  /** Messages per second of a paid broadcast (SEND_RATE_LIMIT); undefined when PAID_BROADCAST is off. */
  paidPerSecond: number | undefined;
};

export type BroadcastEstimate = {
  recipients: number;
  free: { seconds: number };
  /** Undefined when paid broadcasts are off or would not be faster. */
  paid: { seconds: number; flaggedMessages: number; stars: number } | undefined;
};

/** The rates a config allows (PAID_BROADCAST, SEND_RATE_LIMIT, FREE_SEND_RATE_LIMIT). */
export function broadcastRatesOf(config: {
  paidBroadcast: boolean;
  sendRateLimit: number;
  freeSendRateLimit: number;
}): BroadcastRates {
  return config.paidBroadcast
    ? { freePerSecond: config.freeSendRateLimit, paidPerSecond: config.sendRateLimit }
    : { freePerSecond: config.sendRateLimit, paidPerSecond: undefined };
}

/**
 * Time and cost of sending to `recipients` chats. A paid broadcast of n chats at rate P takes
 * n/P seconds, of which the free slots carry F·n/P messages unflagged; the rest carry the flag and
 * are billed 0.1 Star each at most.
 *
 * @example estimateBroadcast(100_000, { freePerSecond: 25, paidPerSecond: 1000 })
 *   // free: 4,000 s; paid: 100 s, 97,500 flagged, 9,750 Stars
 */
export function estimateBroadcast(recipients: number, rates: BroadcastRates): BroadcastEstimate {
  const n = Math.max(0, Math.floor(recipients));
  const free = { seconds: n / rates.freePerSecond };
  const p = rates.paidPerSecond;
  if (p === undefined || p <= rates.freePerSecond) return { recipients: n, free, paid: undefined };
  const seconds = n / p;
  const flaggedMessages = Math.max(0, n - Math.floor(rates.freePerSecond * seconds));
  // Whole messages at 0.1 Star: a whole number of tenths, rounded so 3 × 0.1 is 0.3, not 0.30000000000000004.
  const stars = Math.round(flaggedMessages * STARS_PER_PAID_MESSAGE * 10) / 10;
  return { recipients: n, free, paid: { seconds, flaggedMessages, stars } };
}
