export type Fault =
  | "blocked"
  | "deactivated"
  | "chat-not-found"
  | "server-error"
  | "too-many-requests"
  | "migrate"
  | "drop"
  | "slow";

export type FaultRule = {
  method?: string;
  chatId?: number;
  fault: Fault;
  remaining: number;
  /** For "too-many-requests": seconds; for "slow": ms; for "migrate": the new chat id. */
  value?: number;
};
