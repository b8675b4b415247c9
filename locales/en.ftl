# English. Every message id here exists in ru.ftl, kk.ftl and uz.ftl too.

language-name = English

welcome =
    👋 Hello, { $name }!

    I follow cooperation between <b>Kazakhstan and Uzbekistan</b>: trade, energy, transport, water, tourism, culture and more. I read Kazakh and Uzbek news outlets in Russian, Kazakh, Uzbek and English, keep only the stories about relations between the two countries, and send each story once, tagged by topic.

    Every day I can also send the National Bank of Kazakhstan's official USD, EUR, RUB and CNY rates in tenge.

    { $commands }
help =
    <b>What I can do</b>

    { $commands }

    Choose the topics you care about and I will only send those stories.
commands-heading = Commands:

cmd-start = Welcome and what this bot does
cmd-help = List of commands
cmd-language = Change the language

language-choose = Choose your language:
language-changed = Done: I will speak English with you now.

unknown-command = I don't know the command { $command }. Send /help to see what I can do.
plain-text = I answer commands only. Send /help to see what I can do.
error-generic = Something went wrong on my side. Please try again in a minute.
button-expired = This button is no longer active.

cmd-subscribe = Subscribe and choose topics
cmd-topics = Change your topics
cmd-settings = Your settings
cmd-keywords = Your own keywords
cmd-latest = Latest stories on your topics
cmd-rates = Official NBK exchange rates
cmd-unsubscribe = Stop all messages
cmd-cancel = Leave the current dialogue

topic-diplomacy = Diplomacy
topic-trade = Trade
topic-industry = Industry
topic-energy = Energy
topic-transport = Transport & logistics
topic-agriculture = Agriculture
topic-water = Water & environment
topic-tourism = Tourism
topic-culture = Culture
topic-education = Education & science
topic-security = Security & borders
topic-digital = Digital & IT
topic-finance = Finance & banking
topic-health = Health
topic-migration = Migration & labour
topic-other = Other

button-all-topics = All topics
button-done = Done
button-yes = Yes
button-no = No
button-confirm = Confirm
button-change-topics = Change topics
subscribe-topics = <b>Step 1 of 3.</b> Choose the topics you want to follow (tap to select or unselect), then press Done.
subscribe-pick-one = Choose at least one topic.
subscribe-rates = <b>Step 2 of 3.</b> Do you also want the official NBK exchange rates every day at { $time }?
subscribe-summary =
    <b>Step 3 of 3.</b> Check your choice:

    Topics: { $topics }
    Daily rates: { $rates }
    Story languages: { $storyLanguages }
    Own keywords: { $keywords }
    Delivery: { $delivery }
    Quiet hours: { $quiet }
    Time zone: { $zone }

    Press Confirm to subscribe.
rates-choice-yes = yes, at { $time }
rates-choice-no = no
subscribe-done =
    ✅ You are subscribed. You will receive stories on: { $topics }.{ $ratesLine }

    Change topics with /topics, everything else with /settings, stop with /unsubscribe.
subscribe-done-rates = { " " }Every day at { $time } you will also get the NBK rates.
conversation-use-buttons = Please use the buttons above, or send /cancel to stop.
cancelled = Cancelled. Nothing was changed.
nothing-to-cancel = There is nothing to cancel.
topics-heading = Choose your topics (tap to select or unselect), then press Done.
topics-saved = ✅ Topics saved: { $topics }.
not-subscribed = You are not subscribed yet. Send /subscribe to start.
unsubscribe-confirm = Stop all messages from this bot? Your choices are kept, and /subscribe brings them back.
button-unsubscribe-yes = Yes, stop
button-unsubscribe-no = No, keep
unsubscribed = You are unsubscribed. Send /subscribe whenever you want to come back.
unsubscribe-kept = Nothing changed: your subscription stays.
settings =
    ⚙️ <b>Your settings</b>

    Status: { $status }
    Topics: { $topics }
    Daily rates: { $rates }
    Language: { $language }
    Story languages: { $storyLanguages }
    Own keywords: { $keywords }
    Delivery: { $delivery }
    Quiet hours: { $quiet }
    Time zone: { $zone }
status-active = active
status-paused = paused
button-settings-topics = 🗂 Topics
button-settings-rates-on = 💱 Daily rates: on
button-settings-rates-off = 💱 Daily rates: off
button-settings-time = ⏰ Rates at { $time }
button-settings-language = 🌐 Language
welcome-back = Welcome back! Your subscription is active again.
group-admins-only = Only the group's administrators can change its subscription.
buttons-not-yours = These buttons belong to another person's dialogue.
latest-empty = No stories on your topics yet. They will arrive as soon as the outlets publish them.
latest-heading = The latest stories on your topics:

story-also-reported = Also reported by: { $outlets }

rates-heading = 💱 <b>Official NBK exchange rates</b>
rates-for-today = for today, { $date }
rates-for-latest = for { $date }, the latest official rates
rates-for-outdated = for { $date }: newer rates could not be fetched right now
rates-for-upcoming = for { $date }, set in advance
rates-for-cross = ⚠️ NBK did not answer: Central Bank of Uzbekistan cross rates for { $date }, NOT official
rates-source-nbk = Source: National Bank of Kazakhstan
rates-source-cbu = Source: Central Bank of Uzbekistan (cross rates)
rates-per-100 = per 100
rates-unavailable = The official rates are unavailable right now. Please try again in a few minutes.
rates-chart-title = { $currency }/KZT, { $days } days
button-days = { $days } days
rates-daily-greeting = Good morning! The rates for today:
rates-admin-alert = ⚠️ Official NBK rates for { $date } could not be obtained, so no daily rates message went out to subscribers. Reason: { $reason }
rates-admin-alert-fallback = ⚠️ Official NBK rates for { $date } could not be obtained: subscribers got the Central Bank of Uzbekistan cross rates, labelled as not official. Reason: { $reason }

# --- admin tools (ADMIN_IDS only) ---
cmd-broadcast = Send an announcement to subscribers
cmd-broadcast_cancel = Stop the running broadcast
cmd-stats = Subscribers, stories and deliveries
cmd-feeds = Feed health; pause, resume, add, remove
cmd-audit = Last admin actions

broadcast-ask =
    📣 <b>New broadcast</b>

    Send me the announcement: a text (formatting is kept), a photo or video with a caption, or forward a message. Send /cancel to stop.
broadcast-copy-failed = I could not copy that message ({ $reason }). Please send another one.
broadcast-preview = ☝️ This is exactly what recipients will get. Who should receive it?
button-audience-all = 👥 Everyone
button-audience-topics = 🏷 By topic
button-audience-languages = 🌐 By language
button-audience-change = Change audience
button-broadcast-send = 📣 Send
button-cancel = Cancel
broadcast-pick-topics = Choose the topics: subscribers with any of them get the message.
broadcast-pick-languages = Choose the languages: subscribers who read the bot in any of them get the message.
broadcast-pick-one = Choose at least one.
audience-all = all active subscribers
audience-topics = subscribers of { $topics }
audience-languages = subscribers in { $languages }
broadcast-confirm =
    <b>Audience:</b> { $audience }
    <b>Chats:</b> { $count }

    Send the message above to them?
broadcast-nobody =
    <b>Audience:</b> { $audience }
    Nobody matches it. Choose another audience.
broadcast-dropped = Broadcast cancelled. Nothing was sent.
broadcast-preparing = Preparing the audience…
broadcast-progress =
    📣 <b>Broadcast #{ $id }</b>: { $status }
    Chats: { $total }
    ✅ Sent: { $sent }
    🚫 Blocked or gone: { $blocked }
    ⚠️ Failed: { $failed }
    ⏳ Remaining: { $remaining }
    Speed: { $rate } msg/s · time left: { $eta }
broadcast-status-queued = waiting for the broadcast before it
broadcast-status-running = sending
broadcast-status-done = finished
broadcast-status-cancelled = cancelled
broadcast-cancelled = Broadcast #{ $id } cancelled: { $sent } of { $total } sent, nothing more will go out.
broadcast-nothing-to-cancel = No broadcast is running.
broadcast-cancel-usage = Usage: /broadcast_cancel, or /broadcast_cancel 12 for broadcast #12.

admin-stats =
    📊 <b>Statistics</b>

    <b>Subscribers:</b> { $total }
    active { $active } · paused { $paused } · blocked { $blocked } · gone { $gone }
    Daily rates: { $rates }
    { $destinations }

    <b>By language</b> (active)
    { $languages }

    <b>By topic</b> (active)
    { $topics }

    <b>Stories:</b> today { $storiesToday } · 7 days { $storiesWeek }
    <b>Messages today:</b> sent { $sent } · failed { $failed } · blocked { $blockedToday } · 429s { $rateLimited }
    <b>Queue:</b> { $queue } waiting · dead letters { $dead }

feeds-heading = 📰 <b>Feeds</b>: { $count }, { $active } polled
feeds-none = No feeds.
feed-line =
    { $icon } <b>{ $id }</b> ({ $outlet }, { $language }){ $added }: { $state }
        last success { $success } · items today { $items }
feed-line-error = {"    "}last error { $at }: { $reason }
feed-added-mark = {" "}· added by an admin
feed-never = never
feed-state-ok = OK
feed-state-paused = paused
feed-state-new = not polled yet
feed-state-failing = failing
feed-state-backoff = backing off until { $until }
feeds-help = Change: /feeds pause &lt;id&gt; · /feeds resume &lt;id&gt; · /feeds remove &lt;id&gt; · /feeds add &lt;id&gt; &lt;url&gt; &lt;language&gt; &lt;outlet…&gt;
feeds-usage = Usage: /feeds, /feeds pause &lt;id&gt;, /feeds resume &lt;id&gt;, /feeds remove &lt;id&gt;, /feeds add &lt;id&gt; &lt;url&gt; &lt;language&gt; &lt;outlet…&gt; (language: ru, kk, uz-Latn, uz-Cyrl, en)
feeds-paused = Feed <b>{ $id }</b> paused: it is not polled until /feeds resume { $id }.
feeds-resumed = Feed <b>{ $id }</b> resumed: it is polled from the next cycle.
feeds-removed = Feed <b>{ $id }</b> removed.
feeds-added = Feed <b>{ $id }</b> added: it is polled from the next cycle.
feeds-exists = A feed with the id <b>{ $id }</b> exists already.
feeds-unknown = There is no feed <b>{ $id }</b>. /feeds lists them.
feeds-already-paused = Feed <b>{ $id }</b> is paused already.
feeds-not-paused = Feed <b>{ $id }</b> is not paused.
feeds-invalid = That feed is not valid: { $reason }

audit-heading = 🗒 <b>Last admin actions</b>
audit-empty = No admin actions yet.
audit-audience = { $count } chats

# Flood control: sent once when a chat writes faster than a person would (src/bot/middleware/floodControl.ts).
flood-notice = Messages are coming in faster than a person types. I will stay quiet for a few seconds, then answer again.

# --- channels and forum topics ---
cmd-channels = Connect and manage your channels
channels-connect-how =
    📢 <b>Connect a channel</b>

    1. Add me to the channel as an administrator with the right to <b>post messages</b>.
    2. Then press the button below and pick the channel, or forward me any post from it, or send me its @username.

    Only an administrator of the channel can connect it. Its news is set up and changed here, in this chat.
button-pick-channel = 📢 Choose a channel
channels-list = Channels you manage ({ $count }): tap one to change its settings.
channel-not-found = I cannot find the channel { $title }. Check the @username, or forward me a post from the channel.
channel-not-a-channel = { $title } is not a channel. For a group, add me to the group and send /subscribe there (in a forum, inside the topic that should get the news).
channel-bot-not-admin = I am not an administrator of «{ $title }». Add me to the channel as an administrator with the right to post messages, then try again.
channel-bot-cannot-post = I am an administrator of «{ $title }», but I may not post messages there. Turn on “Post messages” for me in the channel's administrators, then try again.
channel-user-not-admin = Only an administrator of «{ $title }» can connect it to me.
channel-connected = ✅ Channel <b>{ $title }</b> is connected. Now choose what it should receive:
channel-connected-again = ✅ Channel <b>{ $title }</b> is connected to you as well.
channel-subscribe-done =
    ✅ The channel is subscribed: it will receive stories on { $topics }.{ $ratesLine }

    Change its settings here with /settings or /channels.
channel-settings =
    📢 <b>{ $title }</b>

    Status: { $status }
    Topics: { $topics }
    Daily rates: { $rates }
    Language: { $language }
channel-settings-new =
    📢 <b>{ $title }</b>

    This channel is connected but not subscribed yet.
status-channel-blocked = paused: I cannot post in the channel
button-channel-subscribe = ✅ Subscribe the channel
button-channel-pause = ⏸ Pause
button-channel-resume = ▶️ Resume
button-channel-disconnect = ✖️ Disconnect
channel-disconnected = Channel <b>{ $title }</b> is disconnected from you.
channel-not-yours = You do not manage this channel.
channel-no-longer-admin = You are no longer an administrator of «{ $title }», so you cannot manage it here.
channel-cannot-resume = I still cannot post in «{ $title }». Make me an administrator with the right to post messages first.
channel-paused-notice = ⚠️ I can no longer post in the channel <b>{ $title }</b>: I was removed or lost the right to post messages. Its subscription is paused and nothing is lost: make me an administrator with “Post messages” again and it resumes.
channel-resumed-notice = ✅ I can post in the channel <b>{ $title }</b> again: its subscription is active.
topic-paused-notice = ⚠️ The topic where I posted news (topic #{ $thread }) was closed or deleted, so its subscription is paused. An administrator can reopen it, or send /subscribe inside another topic.
topic-resumed-notice = ✅ The topic #{ $thread } receives news again.
admin-stats-destinations = Where (active): private chats { $private } · groups { $groups } · channels { $channels } · forum topics { $topics }
button-audience-channels = 📢 Channels only
button-audience-threads = 🧵 Forum topics only
button-audience-chats = 👤 Without channels and topics
audience-places-channels = all active channels
audience-places-threads = all active forum topics
audience-places-chats = all active private chats and groups (no channels, no forum topics)
# --- story languages (/settings) ---
button-settings-story-languages = 🗣 Story languages
story-languages-heading = <b>Story languages.</b> Tick the languages of the outlets you read. When an event is reported in several languages, you get one version (in your interface language when there is one) and the other outlets are listed under it.
story-languages-pick-one = Keep at least one language.
story-languages-all = all languages
story-language-ru = Russian
story-language-kk = Kazakh
story-language-uz-Latn = Uzbek (Latin)
story-language-uz-Cyrl = Uzbek (Cyrillic)
story-language-en = English
admin-stats-story-languages = <b>Story languages</b> (active, fewer than all): { $languages }

# --- own keywords (/keywords, /settings) ---
button-settings-keywords = 🔑 Keywords
button-keywords-clear = 🗑 Remove all
keywords-prompt =
    🔑 <b>Your keywords</b>
    { $keywords }

    Send up to 10 words or phrases in any language, separated by commas, e.g. <i>Tashkent, UzAuto Motors, Rogun HPP</i>. The list replaces the current one. Other word endings and the other script match too, and a story that mentions a keyword reaches you even outside your topics. In a group: /keywords word, word. /cancel leaves.
keywords-none = none
keywords-cleared = 🔑 Keywords removed.
keywords-saved =
    ✅ Keywords saved. I look for:
    { $keywords }
keywords-none-usable = None of these can be used as a keyword; please send the list again, or /cancel.
keyword-refused = ✗ «{ $entry }»: { $reason }
keyword-error-too-short = shorter than { $min } letters
keyword-error-too-long = longer than { $max } characters
keyword-error-too-many-words = more than { $words } words
keyword-error-syntax = only letters, digits, spaces, hyphens, dots and apostrophes are allowed
keyword-error-no-letters = no letters or digits
keyword-error-too-many = at most { $count } keywords
story-keyword = 🔑 Your keyword: <b>{ $keyword }</b>
admin-stats-keywords = <b>Own keywords</b>: { $chats } chats, { $keywords } keywords

# --- delivery mode: instant, morning briefing, weekly digest (/settings) ---
button-settings-mode = 📬 { $mode }
button-settings-briefing-hour = ☀️ Briefing at { $time }
button-back = ← Back
delivery-mode-instant = Instant
delivery-mode-briefing = Morning briefing
delivery-mode-weekly = Weekly digest
delivery-line-instant = each story as it comes
delivery-line-briefing = a briefing every day at { $time } (rates and stories by topic)
delivery-line-weekly = a digest every Monday at { $time }
briefing-hour-heading = Choose the hour of your briefing or weekly digest ({ $zone } time):
briefing-heading = ☀️ <b>Your briefing for { $period }</b>
digest-heading = 🗞 <b>Your weekly digest, { $period }</b>
briefing-no-stories = No new stories on your topics since the last one.
briefing-more = …and { $count } more: /latest
briefing-keywords = Your keywords
admin-stats-delivery = <b>Delivery</b>: instant { $instant } · briefing { $briefing } · weekly { $weekly }

# --- quiet hours (/settings) ---
button-settings-quiet = 🌙 Quiet hours: { $quiet }
button-quiet-off = Off
quiet-off = off
quiet-heading = Quiet hours ({ $zone } time): stories that come in them are held and arrive together when they end.
held-heading = 🌙 <b>While your quiet hours lasted, { $period }</b>
admin-stats-quiet = <b>Quiet hours</b>: { $count }

# --- own time zone (/settings) ---
button-settings-zone = 🕰 { $zone }
zone-default = bot's time
zone-heading = Choose the time zone of your briefing and quiet hours (now { $zone }):
admin-stats-zones = <b>Own time zones</b>: { $count }

# --- quiet hours: held or sent silently (/settings) ---
quiet-heading-silent = Quiet hours ({ $zone } time): stories that come in them arrive at once, without a notification sound.
button-quiet-mode-hold = 🌙 Hold until they end
button-quiet-mode-silent = 🔕 Send silently
quiet-mode-hold = held until they end
quiet-mode-silent = sent silently
quiet-with-mode = { $quiet }, { $mode }
# --- paid broadcasts (PAID_BROADCAST) ---
broadcast-confirm-paid =
    ⏱ Free: about { $freeTime } at { $freeRate } msg/s.
    ⭐ Paid: about { $paidTime } at { $paidRate } msg/s, at most { $stars } ⭐ from the bot's balance (Telegram charges 0.1 ⭐ for each message above its free 30 a second).
button-broadcast-send-paid = ⭐ Send paid
button-broadcast-send-free = 📣 Send free
broadcast-progress-paid = ⭐ Paid: { $paid } messages above the free rate, at most { $stars } ⭐.
broadcast-progress-unpaid = ⚠️ Telegram refused { $unpaid } paid messages: the bot's Stars balance is too low. They and the rest go out unpaid, at the free rate; nothing is lost. Top up the balance before the next paid broadcast.
broadcast-progress-limited = 🐢 429 answers from Telegram: { $count } (each of those messages went out after the pause).
