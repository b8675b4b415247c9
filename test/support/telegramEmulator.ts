/**
 * The one door to the Telegram Bot API emulator (its parts live in ./telegram/): tests and
 * benchmarks import from here only.
 */
export { TelegramEmulator } from "./telegram/emulator.js";
export type { Fault } from "./telegram/faults.js";
export {
  type LatencyOptions,
  type Legs,
  latencySampler,
  legSampler,
  seededRandom,
  TELEGRAM_LATENCY,
} from "./telegram/latency.js";
export {
  ArrivalLog,
  Bucket,
  type LimitCause,
  type LimitOptions,
  TELEGRAM_LIMITS,
} from "./telegram/limits.js";
export type { BotInChannel } from "./telegram/methods/channels.js";
export { BALANCE_TOO_LOW, FREE_SENDS_PER_SECOND, StarsAccount } from "./telegram/stars.js";
export { TestUser } from "./telegram/testUser.js";
export type {
  ApiCall,
  InlineButton,
  KeyboardButton,
  ReplyMarkup,
  SentMessage,
  TgChat,
  TgUser,
} from "./telegram/types.js";
