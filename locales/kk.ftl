# Қазақша. Барлық идентификаторлар ru.ftl, en.ftl, uz.ftl файлдарында да бар.

language-name = Қазақша

welcome =
    👋 Сәлеметсіз бе, { $name }!

    Мен <b>Қазақстан мен Өзбекстанның</b> ынтымақтастығын бақылаймын: сауда, энергетика, көлік, су, туризм, мәдениет және тағы басқалар. Қазақстан мен Өзбекстан басылымдарын орыс, қазақ, өзбек және ағылшын тілдерінде оқып, тек екі ел қарым-қатынасы туралы жаңалықтарды қалдырамын және әр жаңалықты тақырыбымен бір рет жіберемін.

    Күн сайын Қазақстан Ұлттық Банкінің доллар, еуро, рубль және юаньның теңгемен ресми бағамын да жібере аламын.

    { $commands }
help =
    <b>Мен не істей аламын</b>

    { $commands }

    Өзіңізге қызықты тақырыптарды таңдаңыз, мен тек соларды жіберемін.
commands-heading = Командалар:

cmd-start = Сәлемдесу және бот туралы
cmd-help = Командалар тізімі
cmd-language = Тілді ауыстыру

language-choose = Тілді таңдаңыз:
language-changed = Дайын: енді сізбен қазақша сөйлесемін.

unknown-command = { $command } командасын білмеймін. Мүмкіндіктерімді көру үшін /help жіберіңіз.
plain-text = Мен тек командаларға жауап беремін. Мүмкіндіктерімді көру үшін /help жіберіңіз.
error-generic = Менде бір қате шықты. Бір минуттан кейін қайталап көріңіз.
button-expired = Бұл батырма енді жұмыс істемейді.

cmd-subscribe = Жазылу және тақырып таңдау
cmd-topics = Тақырыптарды өзгерту
cmd-settings = Баптауларыңыз
cmd-latest = Тақырыптарыңыз бойынша соңғы жаңалықтар
cmd-rates = ҰБ ресми бағамдары
cmd-unsubscribe = Барлық хабарламаны тоқтату
cmd-cancel = Ағымдағы диалогтан шығу

topic-diplomacy = Дипломатия
topic-trade = Сауда
topic-industry = Өнеркәсіп
topic-energy = Энергетика
topic-transport = Көлік және логистика
topic-agriculture = Ауыл шаруашылығы
topic-water = Су және экология
topic-tourism = Туризм
topic-culture = Мәдениет
topic-education = Білім және ғылым
topic-security = Қауіпсіздік және шекара
topic-digital = Цифрландыру және IT
topic-finance = Қаржы және банктер
topic-health = Денсаулық сақтау
topic-migration = Көші-қон және еңбек
topic-other = Басқа

button-all-topics = Барлық тақырыптар
button-done = Дайын
button-yes = Иә
button-no = Жоқ
button-confirm = Растау
button-change-topics = Тақырыптарды өзгерту
subscribe-topics = <b>3 қадамның 1-і.</b> Бақылағыңыз келетін тақырыптарды таңдаңыз (таңдау немесе алып тастау үшін басыңыз), содан кейін «Дайын» батырмасын басыңыз.
subscribe-pick-one = Кем дегенде бір тақырып таңдаңыз.
subscribe-rates = <b>3 қадамның 2-сі.</b> Күн сайын сағат { $time }-да ҰБ ресми бағамдарын жіберейін бе?
subscribe-summary =
    <b>3 қадамның 3-і.</b> Таңдауыңызды тексеріңіз:

    Тақырыптар: { $topics }
    Күнделікті бағамдар: { $rates }

    Жазылу үшін «Растау» батырмасын басыңыз.
rates-choice-yes = иә, сағат { $time }-да
rates-choice-no = жоқ
subscribe-done =
    ✅ Сіз жазылдыңыз. Мына тақырыптар бойынша жаңалықтар аласыз: { $topics }.{ $ratesLine }

    Тақырыптарды /topics арқылы, қалғанын /settings арқылы өзгертесіз, жазылымнан бас тарту — /unsubscribe.
subscribe-done-rates = { " " }Күн сайын сағат { $time }-да ҰБ бағамдары да келеді.
conversation-use-buttons = Жоғарыдағы батырмаларды пайдаланыңыз немесе шығу үшін /cancel жіберіңіз.
cancelled = Бас тартылды. Ештеңе өзгерген жоқ.
nothing-to-cancel = Бас тартатын ештеңе жоқ.
topics-heading = Тақырыптарды таңдаңыз (таңдау немесе алып тастау үшін басыңыз), содан кейін «Дайын» батырмасын басыңыз.
topics-saved = ✅ Тақырыптар сақталды: { $topics }.
not-subscribed = Сіз әлі жазылмағансыз. Бастау үшін /subscribe жіберіңіз.
unsubscribe-confirm = Боттан келетін барлық хабарламаны тоқтатасыз ба? Таңдауыңыз сақталады, /subscribe оны қайтарады.
button-unsubscribe-yes = Иә, тоқтату
button-unsubscribe-no = Жоқ, қалдыру
unsubscribed = Сіз жазылымнан бас тарттыңыз. Қайтқыңыз келсе, /subscribe жіберіңіз.
unsubscribe-kept = Ештеңе өзгерген жоқ: жазылым сақталды.
settings =
    ⚙️ <b>Баптауларыңыз</b>

    Күйі: { $status }
    Тақырыптар: { $topics }
    Күнделікті бағамдар: { $rates }
    Тіл: { $language }
status-active = белсенді
status-paused = тоқтатылған
button-settings-topics = 🗂 Тақырыптар
button-settings-rates-on = 💱 Бағамдар: қосулы
button-settings-rates-off = 💱 Бағамдар: өшірулі
button-settings-time = ⏰ Бағамдар сағат { $time }-да
button-settings-language = 🌐 Тіл
welcome-back = Қайта оралуыңызбен! Жазылым қайта белсенді.
group-admins-only = Топтың жазылымын тек оның әкімшілері өзгерте алады.
buttons-not-yours = Бұл батырмалар басқа адамның диалогына тиесілі.
latest-empty = Тақырыптарыңыз бойынша әзірге жаңалық жоқ. Басылымдар жариялай салысымен келеді.
latest-heading = Тақырыптарыңыз бойынша соңғы жаңалықтар:

story-also-reported = Сондай-ақ хабарлады: { $outlets }

rates-heading = 💱 <b>ҚР Ұлттық Банкінің ресми бағамдары</b>
rates-for-today = бүгінге, { $date }
rates-for-latest = { $date } күнге, соңғы ресми бағамдар
rates-for-outdated = { $date } күнге: жаңарақ бағамдарды қазір алу мүмкін болмады
rates-for-upcoming = { $date } күнге, алдын ала белгіленген
rates-for-cross = ⚠️ ҰБ жауап бермеді: Өзбекстан Орталық банкінің { $date } күнгі кросс-бағамдары, ресми ЕМЕС
rates-source-nbk = Дереккөз: Қазақстан Республикасының Ұлттық Банкі
rates-source-cbu = Дереккөз: Өзбекстан Орталық банкі (кросс-бағамдар)
rates-per-100 = 100 үшін
rates-unavailable = Ресми бағамдар қазір қолжетімсіз. Бірнеше минуттан кейін қайталап көріңіз.
rates-chart-title = { $currency }/KZT, { $days } күн
button-days = { $days } күн
rates-daily-greeting = Қайырлы таң! Бүгінгі бағамдар:
rates-admin-alert = ⚠️ ҰБ-ның { $date } күнгі ресми бағамдарын алу мүмкін болмады, сондықтан жазылушыларға күнделікті бағам хабарламасы жіберілмеді. Себебі: { $reason }
rates-admin-alert-fallback = ⚠️ ҰБ-ның { $date } күнгі ресми бағамдарын алу мүмкін болмады: жазылушылар Өзбекстан Орталық банкінің «ресми емес» деп белгіленген кросс-бағамдарын алды. Себебі: { $reason }

# --- admin tools (ADMIN_IDS only) ---
cmd-broadcast = Жазылушыларға хабарландыру жіберу
cmd-broadcast_cancel = Ағымдағы таратуды тоқтату
cmd-stats = Жазылушылар, жаңалықтар және жеткізу
cmd-feeds = Арналар күйі; кідірту, жалғастыру, қосу, жою
cmd-audit = Админдердің соңғы әрекеттері

broadcast-ask =
    📣 <b>Жаңа тарату</b>

    Хабарландыруды жіберіңіз: мәтін (пішімі сақталады), жазуы бар фото не бейне, немесе хабарламаны қайта жіберіңіз. Шығу үшін /cancel.
broadcast-copy-failed = Бұл хабарламаны көшіре алмадым ({ $reason }). Басқасын жіберіңіз.
broadcast-preview = ☝️ Жазылушылар дәл осылай алады. Кімге жіберейін?
button-audience-all = 👥 Барлығына
button-audience-topics = 🏷 Тақырып бойынша
button-audience-languages = 🌐 Тіл бойынша
button-audience-change = Аудиторияны өзгерту
button-broadcast-send = 📣 Жіберу
button-cancel = Бас тарту
broadcast-pick-topics = Тақырыптарды таңдаңыз: олардың кез келгеніне жазылғандар алады.
broadcast-pick-languages = Тілдерді таңдаңыз: ботты солардың бірінде оқитындар алады.
broadcast-pick-one = Кем дегенде біреуін таңдаңыз.
audience-all = барлық белсенді жазылушылар
audience-topics = { $topics } тақырыптарының жазылушылары
audience-languages = тілі: { $languages }
broadcast-confirm =
    <b>Аудитория:</b> { $audience }
    <b>Чаттар:</b> { $count }

    Жоғарыдағы хабарламаны оларға жіберейін бе?
broadcast-nobody =
    <b>Аудитория:</b> { $audience }
    Ешкім сәйкес келмейді. Басқа аудитория таңдаңыз.
broadcast-dropped = Тарату тоқтатылды. Ештеңе жіберілмеді.
broadcast-preparing = Алушылар тізімін дайындап жатырмын…
broadcast-progress =
    📣 <b>№{ $id } тарату</b>: { $status }
    Чаттар: { $total }
    ✅ Жіберілді: { $sent }
    🚫 Бұғаттаған не жойылған: { $blocked }
    ⚠️ Қателер: { $failed }
    ⏳ Қалды: { $remaining }
    Жылдамдық: { $rate } хабар/с · қалған уақыт: { $eta }
broadcast-status-queued = алдыңғы таратудың аяқталуын күтуде
broadcast-status-running = жіберілуде
broadcast-status-done = аяқталды
broadcast-status-cancelled = тоқтатылды
broadcast-cancelled = №{ $id } тарату тоқтатылды: { $total } ішінен { $sent } жіберілді, басқа ештеңе кетпейді.
broadcast-nothing-to-cancel = Қазір тарату жоқ.
broadcast-cancel-usage = Былай: /broadcast_cancel немесе №12 тарату үшін /broadcast_cancel 12.

admin-stats =
    📊 <b>Статистика</b>

    <b>Жазылушылар:</b> { $total }
    белсенді { $active } · кідіртілген { $paused } · бұғаттаған { $blocked } · жойылған { $gone }
    Күнделікті бағамдар: { $rates }

    <b>Тілдер бойынша</b> (белсенді)
    { $languages }

    <b>Тақырыптар бойынша</b> (белсенді)
    { $topics }

    <b>Жаңалықтар:</b> бүгін { $storiesToday } · 7 күнде { $storiesWeek }
    <b>Бүгінгі хабарламалар:</b> жіберілді { $sent } · қате { $failed } · бұғатталды { $blockedToday } · 429: { $rateLimited }
    <b>Кезек:</b> { $queue } күтуде · жеткізілмегендер { $dead }

feeds-heading = 📰 <b>Арналар</b>: { $count }, сұралатыны { $active }
feeds-none = Арна жоқ.
feed-line =
    { $icon } <b>{ $id }</b> ({ $outlet }, { $language }){ $added }: { $state }
        соңғы сәтті { $success } · бүгінгі материал { $items }
feed-line-error = {"    "}соңғы қате { $at }: { $reason }
feed-added-mark = {" "}· админ қосқан
feed-never = ешқашан
feed-state-ok = дұрыс
feed-state-paused = кідіртілген
feed-state-new = әлі сұралмаған
feed-state-failing = қателермен
feed-state-backoff = қателерден кейін { $until } дейін үзіліс
feeds-help = Өзгерту: /feeds pause &lt;id&gt; · /feeds resume &lt;id&gt; · /feeds remove &lt;id&gt; · /feeds add &lt;id&gt; &lt;url&gt; &lt;тіл&gt; &lt;басылым…&gt;
feeds-usage = Былай: /feeds, /feeds pause &lt;id&gt;, /feeds resume &lt;id&gt;, /feeds remove &lt;id&gt;, /feeds add &lt;id&gt; &lt;url&gt; &lt;тіл&gt; &lt;басылым…&gt; (тіл: ru, kk, uz-Latn, uz-Cyrl, en)
feeds-paused = <b>{ $id }</b> арнасы кідіртілді: /feeds resume { $id } дейін сұралмайды.
feeds-resumed = <b>{ $id }</b> арнасы келесі циклден бастап қайта сұралады.
feeds-removed = <b>{ $id }</b> арнасы жойылды.
feeds-added = <b>{ $id }</b> арнасы қосылды: келесі циклден бастап сұралады.
feeds-exists = <b>{ $id }</b> id-і бар арна бұрыннан бар.
feeds-unknown = <b>{ $id }</b> арнасы жоқ. Тізімі: /feeds.
feeds-already-paused = <b>{ $id }</b> арнасы қазірдің өзінде кідіртілген.
feeds-not-paused = <b>{ $id }</b> арнасы кідіртілмеген.
feeds-invalid = Арна қате көрсетілген: { $reason }

audit-heading = 🗒 <b>Админдердің соңғы әрекеттері</b>
audit-empty = Админ әрекеттері әзірге жоқ.
audit-audience = { $count } чат

# --- paid broadcasts (PAID_BROADCAST) ---
broadcast-confirm-paid =
    ⏱ Тегін: шамамен { $freeTime }, { $freeRate } хабар/с.
    ⭐ Ақылы: шамамен { $paidTime }, { $paidRate } хабар/с, боттың балансынан ең көбі { $stars } ⭐ (Telegram секундына тегін 30 хабардан асқан әрқайсысы үшін 0,1 ⭐ алады).
button-broadcast-send-paid = ⭐ Ақылы жіберу
button-broadcast-send-free = 📣 Тегін жіберу
broadcast-progress-paid = ⭐ Ақылы: тегін жылдамдықтан тыс хабарлар — { $paid }, ең көбі { $stars } ⭐.
broadcast-progress-unpaid = ⚠️ Telegram ақылы хабарлардың { $unpaid } данасын қабылдамады: боттың балансында жұлдыз жетпейді. Олар да, қалғаны да тегін жылдамдықпен тегін жіберіледі; ештеңе жоғалмайды. Келесі ақылы таратудың алдында балансты толтырыңыз.
broadcast-progress-limited = 🐢 Telegram-ның 429 жауаптары: { $count } (ондай әр хабар кідірістен кейін жіберілді).
