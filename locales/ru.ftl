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

# --- paid broadcasts (PAID_BROADCAST) ---
broadcast-confirm-paid =
    ⏱ Бесплатно: примерно { $freeTime }, { $freeRate } сообщ./с.
    ⭐ Платно: примерно { $paidTime }, { $paidRate } сообщ./с, не больше { $stars } ⭐ с баланса бота (Telegram берёт 0,1 ⭐ за каждое сообщение сверх бесплатных 30 в секунду).
button-broadcast-send-paid = ⭐ Отправить платно
button-broadcast-send-free = 📣 Отправить бесплатно
broadcast-progress-paid = ⭐ Платно: сообщений сверх бесплатной скорости — { $paid }, не больше { $stars } ⭐.
broadcast-progress-unpaid = ⚠️ Telegram отклонил платных сообщений: { $unpaid } — на балансе бота не хватает звёзд. Они и остальные уходят бесплатно, с бесплатной скоростью; ничего не потеряно. Пополните баланс перед следующей платной рассылкой.
broadcast-progress-limited = 🐢 Ответов 429 от Telegram: { $count } (каждое такое сообщение ушло после паузы).
