# Русский: язык по умолчанию. Все идентификаторы есть и в en.ftl, kk.ftl, uz.ftl.

language-name = Русский

welcome =
    👋 Здравствуйте, { $name }!

    Я слежу за сотрудничеством <b>Казахстана и Узбекистана</b>: торговля, энергетика, транспорт, вода, туризм, культура и многое другое. Я читаю казахстанские и узбекистанские СМИ на русском, казахском, узбекском и английском, оставляю только материалы об отношениях двух стран и присылаю каждую новость один раз, с темами.

    Каждый день могу присылать и официальные курсы Национального банка Казахстана: доллар, евро, рубль и юань в тенге.

    { $commands }
help =
    <b>Что я умею</b>

    { $commands }

    Выберите интересные вам темы, и я буду присылать только их.
commands-heading = Команды:

cmd-start = Приветствие и о боте
cmd-help = Список команд
cmd-language = Сменить язык

language-choose = Выберите язык:
language-changed = Готово: теперь я говорю с вами по-русски.

unknown-command = Я не знаю команду { $command }. Отправьте /help, чтобы увидеть, что я умею.
plain-text = Я отвечаю только на команды. Отправьте /help, чтобы увидеть, что я умею.
error-generic = У меня что-то пошло не так. Попробуйте ещё раз через минуту.
button-expired = Эта кнопка уже не действует.

cmd-subscribe = Подписаться и выбрать темы
cmd-topics = Изменить темы
cmd-settings = Ваши настройки
cmd-keywords = Свои ключевые слова
cmd-latest = Последние новости по вашим темам
cmd-rates = Официальные курсы НБК
cmd-unsubscribe = Остановить все сообщения
cmd-cancel = Выйти из текущего диалога

topic-diplomacy = Дипломатия
topic-trade = Торговля
topic-industry = Промышленность
topic-energy = Энергетика
topic-transport = Транспорт и логистика
topic-agriculture = Сельское хозяйство
topic-water = Вода и экология
topic-tourism = Туризм
topic-culture = Культура
topic-education = Образование и наука
topic-security = Безопасность и границы
topic-digital = Цифровизация и IT
topic-finance = Финансы и банки
topic-health = Здравоохранение
topic-migration = Миграция и труд
topic-other = Другое

button-all-topics = Все темы
button-done = Готово
button-yes = Да
button-no = Нет
button-confirm = Подтвердить
button-change-topics = Изменить темы
subscribe-topics = <b>Шаг 1 из 3.</b> Выберите темы, за которыми хотите следить (нажмите, чтобы выбрать или снять), затем нажмите «Готово».
subscribe-pick-one = Выберите хотя бы одну тему.
subscribe-rates = <b>Шаг 2 из 3.</b> Присылать ли каждый день в { $time } официальные курсы НБК?
subscribe-summary =
    <b>Шаг 3 из 3.</b> Проверьте выбор:

    Темы: { $topics }
    Курсы каждый день: { $rates }
    Языки новостей: { $storyLanguages }
    Свои ключевые слова: { $keywords }
    Доставка: { $delivery }
    Тихие часы: { $quiet }
    Часовой пояс: { $zone }

    Нажмите «Подтвердить», чтобы подписаться.
rates-choice-yes = да, в { $time }
rates-choice-no = нет
subscribe-done =
    ✅ Вы подписаны. Вы будете получать новости по темам: { $topics }.{ $ratesLine }

    Темы меняются командой /topics, остальное — в /settings, отписка — /unsubscribe.
subscribe-done-rates = { " " }Каждый день в { $time } также будут приходить курсы НБК.
conversation-use-buttons = Пожалуйста, воспользуйтесь кнопками выше или отправьте /cancel, чтобы выйти.
cancelled = Отменено. Ничего не изменилось.
nothing-to-cancel = Отменять нечего.
topics-heading = Выберите темы (нажмите, чтобы выбрать или снять), затем нажмите «Готово».
topics-saved = ✅ Темы сохранены: { $topics }.
not-subscribed = Вы ещё не подписаны. Отправьте /subscribe, чтобы начать.
unsubscribe-confirm = Остановить все сообщения от бота? Ваш выбор сохранится, и /subscribe вернёт подписку.
button-unsubscribe-yes = Да, остановить
button-unsubscribe-no = Нет, оставить
unsubscribed = Вы отписались. Отправьте /subscribe, когда захотите вернуться.
unsubscribe-kept = Ничего не изменилось: подписка остаётся.
settings =
    ⚙️ <b>Ваши настройки</b>

    Статус: { $status }
    Темы: { $topics }
    Курсы каждый день: { $rates }
    Язык: { $language }
    Языки новостей: { $storyLanguages }
    Свои ключевые слова: { $keywords }
    Доставка: { $delivery }
    Тихие часы: { $quiet }
    Часовой пояс: { $zone }
status-active = активна
status-paused = приостановлена
button-settings-topics = 🗂 Темы
button-settings-rates-on = 💱 Курсы: вкл.
button-settings-rates-off = 💱 Курсы: выкл.
button-settings-time = ⏰ Курсы в { $time }
button-settings-language = 🌐 Язык
welcome-back = С возвращением! Подписка снова активна.
group-admins-only = Менять подписку группы могут только её администраторы.
buttons-not-yours = Эти кнопки относятся к диалогу другого человека.
latest-empty = По вашим темам новостей пока нет. Они придут, как только СМИ их опубликуют.
latest-heading = Последние новости по вашим темам:

story-also-reported = Также сообщают: { $outlets }

rates-heading = 💱 <b>Официальные курсы НБК</b>
rates-for-today = на сегодня, { $date }
rates-for-latest = на { $date }, последние официальные курсы
rates-for-outdated = на { $date }: более новые курсы сейчас получить не удалось
rates-for-upcoming = на { $date }, установлены заранее
rates-for-cross = ⚠️ НБК не ответил: кросс-курсы Центрального банка Узбекистана на { $date }, НЕ официальные
rates-source-nbk = Источник: Национальный банк Казахстана
rates-source-cbu = Источник: Центральный банк Узбекистана (кросс-курсы)
rates-per-100 = за 100
rates-unavailable = Официальные курсы сейчас недоступны. Попробуйте через несколько минут.
rates-chart-title = { $currency }/KZT, { $days } дн.
button-days = { $days } дн.
rates-daily-greeting = Доброе утро! Курсы на сегодня:
rates-admin-alert = ⚠️ Официальные курсы НБК на { $date } получить не удалось, поэтому ежедневное сообщение с курсами подписчикам не отправлено. Причина: { $reason }
rates-admin-alert-fallback = ⚠️ Официальные курсы НБК на { $date } получить не удалось: подписчики получили кросс-курсы Центрального банка Узбекистана с пометкой «не официальные». Причина: { $reason }

# --- admin tools (ADMIN_IDS only) ---
cmd-broadcast = Разослать объявление подписчикам
cmd-broadcast_cancel = Остановить текущую рассылку
cmd-stats = Подписчики, новости и доставка
cmd-feeds = Состояние лент; пауза, возобновление, добавление, удаление
cmd-audit = Последние действия админов

broadcast-ask =
    📣 <b>Новая рассылка</b>

    Пришлите объявление: текст (оформление сохранится), фото или видео с подписью, или перешлите сообщение. /cancel — выйти.
broadcast-copy-failed = Не удалось скопировать это сообщение ({ $reason }). Пришлите другое.
broadcast-preview = ☝️ Именно так его получат подписчики. Кому отправить?
button-audience-all = 👥 Всем
button-audience-topics = 🏷 По темам
button-audience-languages = 🌐 По языкам
button-audience-change = Изменить аудиторию
button-broadcast-send = 📣 Отправить
button-cancel = Отмена
broadcast-pick-topics = Выберите темы: сообщение получат подписчики любой из них.
broadcast-pick-languages = Выберите языки: сообщение получат подписчики, читающие бота на любом из них.
broadcast-pick-one = Выберите хотя бы один вариант.
audience-all = все активные подписчики
audience-topics = подписчики тем { $topics }
audience-languages = подписчики на языках: { $languages }
broadcast-confirm =
    <b>Аудитория:</b> { $audience }
    <b>Чатов:</b> { $count }

    Отправить им сообщение выше?
broadcast-nobody =
    <b>Аудитория:</b> { $audience }
    Под неё никто не подходит. Выберите другую аудиторию.
broadcast-dropped = Рассылка отменена. Ничего не отправлено.
broadcast-preparing = Готовлю список получателей…
broadcast-progress =
    📣 <b>Рассылка №{ $id }</b>: { $status }
    Чатов: { $total }
    ✅ Отправлено: { $sent }
    🚫 Заблокировали или удалены: { $blocked }
    ⚠️ Ошибки: { $failed }
    ⏳ Осталось: { $remaining }
    Скорость: { $rate } сообщ./с · осталось времени: { $eta }
broadcast-status-queued = ждёт окончания предыдущей рассылки
broadcast-status-running = идёт отправка
broadcast-status-done = завершена
broadcast-status-cancelled = отменена
broadcast-cancelled = Рассылка №{ $id } отменена: отправлено { $sent } из { $total }, больше ничего не уйдёт.
broadcast-nothing-to-cancel = Сейчас нет рассылки.
broadcast-cancel-usage = Так: /broadcast_cancel или /broadcast_cancel 12 для рассылки №12.

admin-stats =
    📊 <b>Статистика</b>

    <b>Подписчики:</b> { $total }
    активны { $active } · на паузе { $paused } · заблокировали { $blocked } · удалены { $gone }
    Ежедневные курсы: { $rates }
    { $destinations }

    <b>По языкам</b> (активные)
    { $languages }

    <b>По темам</b> (активные)
    { $topics }

    <b>Новости:</b> сегодня { $storiesToday } · за 7 дней { $storiesWeek }
    <b>Сообщения сегодня:</b> отправлено { $sent } · ошибки { $failed } · заблокировано { $blockedToday } · 429: { $rateLimited }
    <b>Очередь:</b> { $queue } ждут · недоставленные { $dead }

feeds-heading = 📰 <b>Ленты</b>: { $count }, опрашиваются { $active }
feeds-none = Лент нет.
feed-line =
    { $icon } <b>{ $id }</b> ({ $outlet }, { $language }){ $added }: { $state }
        последний успех { $success } · материалов сегодня { $items }
feed-line-error = {"    "}последняя ошибка { $at }: { $reason }
feed-added-mark = {" "}· добавлена админом
feed-never = никогда
feed-state-ok = в порядке
feed-state-paused = на паузе
feed-state-new = ещё не опрашивалась
feed-state-failing = с ошибками
feed-state-backoff = пауза после ошибок до { $until }
feeds-help = Изменить: /feeds pause &lt;id&gt; · /feeds resume &lt;id&gt; · /feeds remove &lt;id&gt; · /feeds add &lt;id&gt; &lt;url&gt; &lt;язык&gt; &lt;издание…&gt;
feeds-usage = Так: /feeds, /feeds pause &lt;id&gt;, /feeds resume &lt;id&gt;, /feeds remove &lt;id&gt;, /feeds add &lt;id&gt; &lt;url&gt; &lt;язык&gt; &lt;издание…&gt; (язык: ru, kk, uz-Latn, uz-Cyrl, en)
feeds-paused = Лента <b>{ $id }</b> на паузе: не опрашивается до /feeds resume { $id }.
feeds-resumed = Лента <b>{ $id }</b> снова опрашивается со следующего цикла.
feeds-removed = Лента <b>{ $id }</b> удалена.
feeds-added = Лента <b>{ $id }</b> добавлена: опрашивается со следующего цикла.
feeds-exists = Лента с id <b>{ $id }</b> уже есть.
feeds-unknown = Ленты <b>{ $id }</b> нет. Список — /feeds.
feeds-already-paused = Лента <b>{ $id }</b> уже на паузе.
feeds-not-paused = Лента <b>{ $id }</b> не на паузе.
feeds-invalid = Лента указана неверно: { $reason }

audit-heading = 🗒 <b>Последние действия админов</b>
audit-empty = Действий админов пока нет.
audit-audience = чатов: { $count }

# Flood control: sent once when a chat writes faster than a person would (src/bot/middleware/floodControl.ts).
flood-notice = Сообщения приходят слишком часто. Я немного помолчу и через несколько секунд снова буду отвечать.

# --- channels and forum topics ---
cmd-channels = Подключить каналы и управлять ими
channels-connect-how =
    📢 <b>Подключить канал</b>

    1. Добавьте меня в канал администратором с правом <b>публиковать сообщения</b>.
    2. Затем нажмите кнопку ниже и выберите канал, или перешлите мне любой пост из него, или пришлите его @username.

    Подключить канал может только его администратор. Новости канала настраиваются здесь, в этом чате.
button-pick-channel = 📢 Выбрать канал
channels-list = Ваши каналы ({ $count }): нажмите на канал, чтобы изменить его настройки.
channel-not-found = Не могу найти канал { $title }. Проверьте @username или перешлите мне пост из канала.
channel-not-a-channel = { $title } — не канал. Для группы добавьте меня в группу и отправьте там /subscribe (в форуме — внутри темы, куда нужны новости).
channel-bot-not-admin = Я не администратор канала «{ $title }». Добавьте меня в канал администратором с правом публиковать сообщения и попробуйте снова.
channel-bot-cannot-post = Я администратор канала «{ $title }», но не могу публиковать в нём сообщения. Включите мне право «Публикация сообщений» и попробуйте снова.
channel-user-not-admin = Подключить канал «{ $title }» может только его администратор.
channel-connected = ✅ Канал <b>{ $title }</b> подключён. Теперь выберите, что он будет получать:
channel-connected-again = ✅ Канал <b>{ $title }</b> подключён и к вам.
channel-subscribe-done =
    ✅ Канал подписан: он будет получать новости по темам { $topics }.{ $ratesLine }

    Меняйте его настройки здесь: /settings или /channels.
channel-settings =
    📢 <b>{ $title }</b>

    Статус: { $status }
    Темы: { $topics }
    Курсы каждый день: { $rates }
    Язык: { $language }
channel-settings-new =
    📢 <b>{ $title }</b>

    Канал подключён, но ещё не подписан.
status-channel-blocked = приостановлена: я не могу публиковать в канале
button-channel-subscribe = ✅ Подписать канал
button-channel-pause = ⏸ Приостановить
button-channel-resume = ▶️ Возобновить
button-channel-disconnect = ✖️ Отключить
channel-disconnected = Канал <b>{ $title }</b> отключён от вас.
channel-not-yours = Вы не управляете этим каналом.
channel-no-longer-admin = Вы больше не администратор канала «{ $title }» и не можете управлять им здесь.
channel-cannot-resume = Я всё ещё не могу публиковать в канале «{ $title }». Сначала сделайте меня администратором с правом публиковать сообщения.
channel-paused-notice = ⚠️ Я больше не могу публиковать в канале <b>{ $title }</b>: меня удалили или лишили права публиковать сообщения. Подписка канала приостановлена, ничего не потеряно: снова сделайте меня администратором с правом «Публикация сообщений», и она возобновится.
channel-resumed-notice = ✅ Я снова могу публиковать в канале <b>{ $title }</b>: его подписка активна.
topic-paused-notice = ⚠️ Тема, куда я присылал новости (тема №{ $thread }), закрыта или удалена, поэтому её подписка приостановлена. Администратор может открыть тему снова или отправить /subscribe в другой теме.
topic-resumed-notice = ✅ Тема №{ $thread } снова получает новости.
admin-stats-destinations = Где (активные): личные чаты { $private } · группы { $groups } · каналы { $channels } · темы форумов { $topics }
button-audience-channels = 📢 Только каналы
button-audience-threads = 🧵 Только темы форумов
button-audience-chats = 👤 Без каналов и тем
audience-places-channels = все активные каналы
audience-places-threads = все активные темы форумов
audience-places-chats = все активные личные чаты и группы (без каналов и тем форумов)
# --- story languages (/settings) ---
button-settings-story-languages = 🗣 Языки новостей
story-languages-heading = <b>Языки новостей.</b> Отметьте языки изданий, которые вы читаете. Если о событии написали на нескольких языках, вы получите одну версию (на языке интерфейса, если она есть), а остальные издания будут указаны под ней.
story-languages-pick-one = Оставьте хотя бы один язык.
story-languages-all = все языки
story-language-ru = Русский
story-language-kk = Казахский
story-language-uz-Latn = Узбекский (латиница)
story-language-uz-Cyrl = Узбекский (кириллица)
story-language-en = Английский
admin-stats-story-languages = <b>Языки новостей</b> (активные, выбравшие не все): { $languages }

# --- own keywords (/keywords, /settings) ---
button-settings-keywords = 🔑 Ключевые слова
button-keywords-clear = 🗑 Удалить все
keywords-prompt =
    🔑 <b>Ваши ключевые слова</b>
    { $keywords }

    Пришлите до 10 слов или фраз на любом языке через запятую, например: <i>Ташкент, UzAuto Motors, Рогунская ГЭС</i>. Список заменит текущий. Подходят и другие окончания, и другая письменность, а новость с ключевым словом придёт даже вне ваших тем. В группе: /keywords слово, слово. /cancel — выйти.
keywords-none = нет
keywords-cleared = 🔑 Ключевые слова удалены.
keywords-saved =
    ✅ Ключевые слова сохранены. Я ищу:
    { $keywords }
keywords-none-usable = Ни одно из этого не подходит как ключевое слово; пришлите список ещё раз или /cancel.
keyword-refused = ✗ «{ $entry }»: { $reason }
keyword-error-too-short = короче { $min } букв
keyword-error-too-long = длиннее { $max } символов
keyword-error-too-many-words = больше { $words } слов
keyword-error-syntax = можно только буквы, цифры, пробелы, дефисы, точки и апострофы
keyword-error-no-letters = нет ни букв, ни цифр
keyword-error-too-many = не больше { $count } ключевых слов
story-keyword = 🔑 Ваше ключевое слово: <b>{ $keyword }</b>
admin-stats-keywords = <b>Свои ключевые слова</b>: чатов { $chats }, слов { $keywords }

# --- delivery mode: instant, morning briefing, weekly digest (/settings) ---
button-settings-mode = 📬 { $mode }
button-settings-briefing-hour = ☀️ Сводка в { $time }
button-back = ← Назад
delivery-mode-instant = Сразу
delivery-mode-briefing = Утренняя сводка
delivery-mode-weekly = Недельный дайджест
delivery-line-instant = каждая новость сразу
delivery-line-briefing = сводка каждый день в { $time } (курсы и новости по темам)
delivery-line-weekly = дайджест каждый понедельник в { $time }
briefing-hour-heading = Выберите час сводки или недельного дайджеста (время { $zone }):
briefing-heading = ☀️ <b>Ваша сводка на { $period }</b>
digest-heading = 🗞 <b>Ваш недельный дайджест, { $period }</b>
briefing-no-stories = С прошлой сводки новых новостей по вашим темам нет.
briefing-more = …и ещё { $count }: /latest
briefing-keywords = Ваши ключевые слова
admin-stats-delivery = <b>Доставка</b>: сразу { $instant } · сводка { $briefing } · дайджест { $weekly }

# --- quiet hours (/settings) ---
button-settings-quiet = 🌙 Тихие часы: { $quiet }
button-quiet-off = Выключить
quiet-off = выключены
quiet-heading = Тихие часы (время { $zone }): новости, пришедшие в это время, придержу и пришлю вместе, когда они закончатся.
held-heading = 🌙 <b>Пока длились ваши тихие часы, { $period }</b>
admin-stats-quiet = <b>Тихие часы</b>: { $count }

# --- own time zone (/settings) ---
button-settings-zone = 🕰 { $zone }
zone-default = время бота
zone-heading = Выберите часовой пояс для сводки и тихих часов (сейчас { $zone }):
admin-stats-zones = <b>Свои часовые пояса</b>: { $count }

# --- quiet hours: held or sent silently (/settings) ---
quiet-heading-silent = Тихие часы (время { $zone }): новости, пришедшие в это время, пришлю сразу, но без звука уведомления.
button-quiet-mode-hold = 🌙 Придержать до конца
button-quiet-mode-silent = 🔕 Присылать без звука
quiet-mode-hold = придержу до их конца
quiet-mode-silent = без звука
quiet-with-mode = { $quiet }, { $mode }
# --- paid broadcasts (PAID_BROADCAST) ---
broadcast-confirm-paid =
    ⏱ Бесплатно: примерно { $freeTime }, { $freeRate } сообщ./с.
    ⭐ Платно: примерно { $paidTime }, { $paidRate } сообщ./с, не больше { $stars } ⭐ с баланса бота (Telegram берёт 0,1 ⭐ за каждое сообщение сверх бесплатных 30 в секунду).
button-broadcast-send-paid = ⭐ Отправить платно
button-broadcast-send-free = 📣 Отправить бесплатно
broadcast-progress-paid = ⭐ Платно: сообщений сверх бесплатной скорости — { $paid }, не больше { $stars } ⭐.
broadcast-progress-unpaid = ⚠️ Telegram отклонил платных сообщений: { $unpaid } — на балансе бота не хватает звёзд. Они и остальные уходят бесплатно, с бесплатной скоростью; ничего не потеряно. Пополните баланс перед следующей платной рассылкой.
broadcast-progress-limited = 🐢 Ответов 429 от Telegram: { $count } (каждое такое сообщение ушло после паузы).
