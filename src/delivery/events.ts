/** What happened to one delivery, for metrics (the metrics feature attaches prom-client here). */
import type { DeliveryKind } from "./queue.js";

export type DeliveryEvent =
  | { type: "sent"; kind: DeliveryKind; chatId: number }
  | { type: "duplicate-skipped"; chatId: number }
  | { type: "paced"; chatId: number; delayMs: number }
  | { type: "rate-limited"; retryAfterMs: number }
  | {
      type: "deactivated";
      chatId: number;
      /** The forum topic that became unreachable (its chat may still be fine). */
      threadId?: number;
      status: "blocked" | "gone";
      reason: string;
    }
  | { type: "migrated"; fromChatId: number; toChatId: number }
  | { type: "retrying"; chatId: number; reason: string; attempt: number }
  | { type: "dead-letter"; chatId: number | undefined; reason: string };
