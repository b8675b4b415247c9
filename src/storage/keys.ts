/**
 * Every Redis key the bot uses, built in one place under one prefix (`REDIS_PREFIX`, default
 * `kzuz`). Tests give each file its own prefix, so nothing outside it is ever touched.
 */
export type RedisKeys = ReturnType<typeof redisKeys>;

export function redisKeys(prefix: string) {
  const key = (...parts: Array<string | number>) => [prefix, ...parts].join(":");
  return {
    prefix,
    /** Every key of this prefix, for a test's clean-up. */
    pattern: `${prefix}:*`,

    // --- people and chats ---
    /** HASH: a chat's profile (private chats: the user). Fields validated by storage/profiles.ts. */
    profile: (chatId: number) => key("profile", chatId),
    /** HASH: a destination's profile; `"<chat id>"` is the chat's own, `"<chat id>:<thread id>"` a forum topic's. */
    destinationProfile: (destination: string) => key("profile", destination),
    /** SET of destination keys that receive news: chat ids, and `<chat id>:<thread id>` of forum topics. */
    subscribers: key("subscribers"),
    /** STRING with TTL: an update id already taken by one instance (polling hand-over, webhook retries). */
    update: (updateId: number) => key("upd", updateId),
    /** SET of thread ids of a forum's topics that have a subscription (paused together when the bot leaves). */
    chatThreads: (chatId: number) => key("chat", chatId, "threads"),
    /** HASH: a connected channel's title and username, for lists in private chats. */
    channel: (chatId: number) => key("channel", chatId),
    /** SET of user ids who manage a channel's subscription (its admins who connected it). */
    channelManagers: (chatId: number) => key("channel", chatId, "managers"),
    /** SET of channel ids a user manages. */
    managedChannels: (userId: number) => key("user", userId, "channels"),
    /** SET with TTL of chat ids whose briefing or digest of `period` (e.g. `briefing:2026-12-03`) was queued. */
    briefingDone: (period: string) => key("brief", "done", period),
    /** LIST with TTL of story delivery ids held for the chat during its quiet hours, oldest first. */
    heldStories: (chatId: number) => key("brief", "held", chatId),
    /** Conversations plugin state, one string per chat. */
    conversation: (id: string) => key("conv", id),
    /** STRING with TTL: the dialogue on this message finished; a late double tap is answered silently. */
    dialogueFinished: (chatId: number, messageId: number) => key("dlg", "done", chatId, messageId),

    // --- news pipeline ---
    /** HASH: a feed's health record. */
    feedHealth: (feedId: string) => key("feed", feedId, "health"),
    /** HASH: ETag / Last-Modified of a feed's last 200 answer. */
    feedHttpCache: (feedId: string) => key("feed", feedId, "http"),
    /** HASH: feeds added, paused or removed at run time (on top of FEEDS_FILE). */
    feedOverrides: key("feeds", "overrides"),
    /** STRING with TTL: an item id already seen (across polls, restarts and feeds). */
    seenItem: (itemId: string) => key("seen", itemId),
    /** STRING: an accepted story as JSON. */
    story: (storyId: string) => key("story", storyId),
    /**
     * LIST of JSON {outlet, link}: outlets that told a story later. Kept beside the story so that
     * adding one is a single atomic RPUSH, never a read-modify-write of the story JSON.
     */
    storyAlsoReported: (storyId: string) => key("story", storyId, "also"),
    /** ZSET story id → accepted time (ms): the capped history. */
    storyTimeline: key("stories"),
    /** ZSET of recent story fingerprints for cross-outlet dedupe, member → time (ms). */
    storyFingerprints: key("stories", "fingerprints"),

    // --- rates ---
    /** STRING: one day's official NBK rates as JSON, by ISO date (YYYY-MM-DD). */
    ratesDay: (isoDate: string) => key("rates", "day", isoDate),
    /** ZSET of ISO dates with stored rates, scored by epoch day. */
    ratesDates: key("rates", "dates"),
    /** STRING with TTL: NBK has no rates of this date's own (weekend, holiday); not asked until it expires. */
    ratesNoOwnSet: (isoDate: string) => key("rates", "none", isoDate),
    /** STRING with TTL: Telegram's file_id of a rendered rates chart, by chartCache.ts's chart id. */
    ratesChartFile: (chartId: string) => key("rates", "chart", chartId),
    /** STRING with PX expiry: one process is drawing and uploading this chart; the others wait for its file_id. */
    ratesChartDrawing: (chartId: string) => key("rates", "chart-drawing", chartId),

    // --- flood control ---
    /** STRING counter with PX expiry: a chat's updates of one kind in the current flood window. */
    floodCount: (kind: string, chatId: number) => key("flood", kind, chatId),

    // --- delivery ---
    // `ref` below is a delivery's short ref token (src/delivery/queue.ts `refToken`), never raw feed text.
    /** SET of chat ids that were sent this ref's message (with TTL): the once-per-chat record. */
    deliverySent: (ref: string) => key("dlv", "sent", ref),
    /** HASH story id → topic mask: story fan-outs started and not yet finished (resumed on start). */
    deliveryFanOuts: key("dlv", "fanouts"),
    /** STRING with TTL: this ref's fan-out walked every subscriber; accepting it again does nothing. */
    deliveryFanOutDone: (ref: string) => key("dlv", "fanout-done", ref),
    /** STRING with PX expiry: the chat got a message this recently (per-chat pacing). */
    deliveryPace: (chatId: number) => key("dlv", "pace", chatId),
    /** STRING with PX expiry: µs (Redis TIME) of the next free slot in the bot-wide send schedule. */
    deliverySchedule: key("dlv", "schedule"),
    /** LIST of JSON dead letters {job, reason, at}, newest first, capped. */
    deliveryDeadLetters: key("dlv", "dead"),
    /** HASH of counters (sent, failed:<reason>, rate-limited, …) for one local day (YYYY-MM-DD). */
    deliveryStats: (isoDate: string) => key("dlv", "stats", isoDate),
    /** HASH of outcome counters (sent, blocked, gone, failed, duplicate, cancelled) of one tracked ref. */
    deliveryRefStats: (ref: string) => key("dlv", "refstats", ref),
    /** STRING with TTL: this ref was cancelled; the worker skips its jobs without sending. */
    deliveryCancelled: (ref: string) => key("dlv", "cancelled", ref),
    /** STRING with PX expiry: µs of the next slot sent without paying (PAID_BROADCAST mode only). */
    deliveryFreeSchedule: key("dlv", "free-schedule"),
    /** STRING with TTL: Telegram refused this paid ref for want of Stars; the rest goes unpaid. */
    deliveryUnpaid: (ref: string) => key("dlv", "unpaid", ref),

    // --- admin ---
    /** HASH: one broadcast's record (status, message to copy, audience, progress message). */
    broadcast: (id: number) => key("broadcast", id),
    /** LIST of chat ids: a broadcast's audience, fixed when the admin confirmed it. */
    broadcastChats: (id: number) => key("broadcast", id, "chats"),
    /** LIST of broadcast ids waiting or running, oldest first: the head is the one sending. */
    broadcastQueue: key("broadcasts", "queue"),
    /** STRING counter: the last broadcast id given out. */
    broadcastSeq: key("broadcasts", "seq"),
    /** LIST of JSON audit entries of admin actions, newest first, capped. */
    adminAudit: key("admin", "audit"),

    // --- coordination ---
    /** STRING with expiry: a cluster-wide lock. */
    lock: (name: string) => key("lock", name),
    /** STRING with expiry: marks a once-only action (e.g. one rates message per chat and day). */
    once: (name: string) => key("once", name),
    /** Prefix for BullMQ queues, so they live under the same namespace. */
    queuePrefix: key("q"),
  };
}
