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
cmd-keywords = Өз кілт сөздеріңіз
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
    Жаңалықтар тілдері: { $storyLanguages }
    Өз кілт сөздерім: { $keywords }
    Жеткізу: { $delivery }
    Тыныш сағаттар: { $quiet }
    Уақыт белдеуі: { $zone }

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
    Жаңалықтар тілдері: { $storyLanguages }
    Өз кілт сөздерім: { $keywords }
    Жеткізу: { $delivery }
    Тыныш сағаттар: { $quiet }
    Уақыт белдеуі: { $zone }
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
    { $destinations }

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

# Flood control: sent once when a chat writes faster than a person would (src/bot/middleware/floodControl.ts).
flood-notice = Хабарламалар тым жиі келіп жатыр. Біраз үндемей тұрамын, бірнеше секундтан кейін қайта жауап беремін.

# --- channels and forum topics ---
cmd-channels = Арналарды қосу және басқару
channels-connect-how =
    📢 <b>Арнаны қосу</b>

    1. Мені арнаға <b>хабарлама жариялау</b> құқығы бар әкімші ретінде қосыңыз.
    2. Содан кейін төмендегі түймені басып, арнаны таңдаңыз, немесе одан кез келген жазбаны маған жіберіңіз, немесе оның @username атын жазыңыз.

    Арнаны тек оның әкімшісі қоса алады. Арнаның жаңалықтары осы жерде, осы чатта бапталады.
button-pick-channel = 📢 Арнаны таңдау
channels-list = Сіздің арналарыңыз ({ $count }): баптауларын өзгерту үшін арнаны басыңыз.
channel-not-found = { $title } арнасын таба алмадым. @username атын тексеріңіз немесе арнадан жазбаны маған жіберіңіз.
channel-not-a-channel = { $title } — арна емес. Топ үшін мені топқа қосып, сонда /subscribe жіберіңіз (форумда — жаңалықтар керек тақырыптың ішінде).
channel-bot-not-admin = Мен «{ $title }» арнасының әкімшісі емеспін. Мені арнаға хабарлама жариялау құқығы бар әкімші ретінде қосып, қайта көріңіз.
channel-bot-cannot-post = Мен «{ $title }» арнасының әкімшісімін, бірақ онда хабарлама жариялай алмаймын. Маған «Хабарлама жариялау» құқығын қосып, қайта көріңіз.
channel-user-not-admin = «{ $title }» арнасын тек оның әкімшісі қоса алады.
channel-connected = ✅ <b>{ $title }</b> арнасы қосылды. Енді ол не алатынын таңдаңыз:
channel-connected-again = ✅ <b>{ $title }</b> арнасы сізге де қосылды.
channel-subscribe-done =
    ✅ Арна жазылды: ол { $topics } тақырыптары бойынша жаңалықтар алады.{ $ratesLine }

    Оның баптауларын осында өзгертіңіз: /settings немесе /channels.
channel-settings =
    📢 <b>{ $title }</b>

    Күйі: { $status }
    Тақырыптар: { $topics }
    Күнделікті бағамдар: { $rates }
    Тіл: { $language }
channel-settings-new =
    📢 <b>{ $title }</b>

    Арна қосылған, бірақ әлі жазылмаған.
status-channel-blocked = тоқтатылды: арнада жариялай алмаймын
button-channel-subscribe = ✅ Арнаны жазу
button-channel-pause = ⏸ Тоқтата тұру
button-channel-resume = ▶️ Жалғастыру
button-channel-disconnect = ✖️ Ажырату
channel-disconnected = <b>{ $title }</b> арнасы сізден ажыратылды.
channel-not-yours = Сіз бұл арнаны басқармайсыз.
channel-no-longer-admin = Сіз енді «{ $title }» арнасының әкімшісі емессіз, сондықтан оны мұнда басқара алмайсыз.
channel-cannot-resume = Мен әлі де «{ $title }» арнасында жариялай алмаймын. Алдымен мені хабарлама жариялау құқығы бар әкімші етіңіз.
channel-paused-notice = ⚠️ Мен енді <b>{ $title }</b> арнасында жариялай алмаймын: мені алып тастады немесе хабарлама жариялау құқығынан айырды. Арнаның жазылымы тоқтатылды, ештеңе жоғалмайды: мені қайтадан «Хабарлама жариялау» құқығы бар әкімші етсеңіз, ол жалғасады.
channel-resumed-notice = ✅ Мен <b>{ $title }</b> арнасында қайтадан жариялай аламын: оның жазылымы белсенді.
topic-paused-notice = ⚠️ Мен жаңалықтар жіберген тақырып (№{ $thread } тақырып) жабылды немесе жойылды, сондықтан оның жазылымы тоқтатылды. Әкімші тақырыпты қайта ашуы немесе басқа тақырыптың ішінде /subscribe жіберуі мүмкін.
topic-resumed-notice = ✅ №{ $thread } тақырып қайтадан жаңалықтар алады.
admin-stats-destinations = Қайда (белсенді): жеке чаттар { $private } · топтар { $groups } · арналар { $channels } · форум тақырыптары { $topics }
button-audience-channels = 📢 Тек арналар
button-audience-threads = 🧵 Тек форум тақырыптары
button-audience-chats = 👤 Арналар мен тақырыптарсыз
audience-places-channels = барлық белсенді арналар
audience-places-threads = барлық белсенді форум тақырыптары
audience-places-chats = барлық белсенді жеке чаттар мен топтар (арналарсыз, форум тақырыптарынсыз)
# --- story languages (/settings) ---
button-settings-story-languages = 🗣 Жаңалықтар тілдері
story-languages-heading = <b>Жаңалықтар тілдері.</b> Оқитын басылымдарыңыздың тілдерін белгілеңіз. Оқиға туралы бірнеше тілде жазылса, сіз бір нұсқасын аласыз (бар болса, интерфейс тілінде), ал қалған басылымдар оның астында көрсетіледі.
story-languages-pick-one = Кемінде бір тілді қалдырыңыз.
story-languages-all = барлық тілдер
story-language-ru = Орысша
story-language-kk = Қазақша
story-language-uz-Latn = Өзбекше (латын)
story-language-uz-Cyrl = Өзбекше (кирилл)
story-language-en = Ағылшынша
admin-stats-story-languages = <b>Жаңалықтар тілдері</b> (белсенді, барлығын таңдамағандар): { $languages }

# --- own keywords (/keywords, /settings) ---
button-settings-keywords = 🔑 Кілт сөздер
button-keywords-clear = 🗑 Барлығын өшіру
keywords-prompt =
    🔑 <b>Сіздің кілт сөздеріңіз</b>
    { $keywords }

    Кез келген тілде 10-ға дейін сөз немесе тіркесті үтір арқылы жіберіңіз, мысалы: <i>Ташкент, UzAuto Motors, Рогун ГЭС</i>. Тізім қазіргісін алмастырады. Басқа жалғаулар мен басқа жазу да сәйкес келеді, ал кілт сөзі бар жаңалық тақырыптарыңыздан тыс болса да келеді. Топта: /keywords сөз, сөз. /cancel — шығу.
keywords-none = жоқ
keywords-cleared = 🔑 Кілт сөздер өшірілді.
keywords-saved =
    ✅ Кілт сөздер сақталды. Мен іздеймін:
    { $keywords }
keywords-none-usable = Бұлардың ешқайсысы кілт сөз бола алмайды; тізімді қайта жіберіңіз немесе /cancel.
keyword-refused = ✗ «{ $entry }»: { $reason }
keyword-error-too-short = { $min } әріптен қысқа
keyword-error-too-long = { $max } таңбадан ұзын
keyword-error-too-many-words = { $words } сөзден көп
keyword-error-syntax = тек әріптер, сандар, бос орын, сызықша, нүкте және апостроф болады
keyword-error-no-letters = әріп те, сан да жоқ
keyword-error-too-many = { $count } кілт сөзден аспайды
story-keyword = 🔑 Сіздің кілт сөзіңіз: <b>{ $keyword }</b>
admin-stats-keywords = <b>Өз кілт сөздері</b>: { $chats } чат, { $keywords } сөз

# --- delivery mode: instant, morning briefing, weekly digest (/settings) ---
button-settings-mode = 📬 { $mode }
button-settings-briefing-hour = ☀️ Шолу сағат { $time }
button-back = ← Артқа
delivery-mode-instant = Бірден
delivery-mode-briefing = Таңғы шолу
delivery-mode-weekly = Апталық дайджест
delivery-line-instant = әр жаңалық бірден
delivery-line-briefing = күн сайын сағат { $time } шолу (бағамдар мен тақырыптар бойынша жаңалықтар)
delivery-line-weekly = әр дүйсенбі сағат { $time } дайджест
briefing-hour-heading = Шолу немесе апталық дайджест сағатын таңдаңыз ({ $zone } уақыты):
briefing-heading = ☀️ <b>{ $period } күнгі шолуыңыз</b>
digest-heading = 🗞 <b>Апталық дайджестіңіз, { $period }</b>
briefing-no-stories = Соңғы шолудан бері тақырыптарыңыз бойынша жаңа жаңалық жоқ.
briefing-more = …және тағы { $count }: /latest
briefing-keywords = Кілт сөздеріңіз
admin-stats-delivery = <b>Жеткізу</b>: бірден { $instant } · шолу { $briefing } · дайджест { $weekly }

# --- quiet hours (/settings) ---
button-settings-quiet = 🌙 Тыныш сағаттар: { $quiet }
button-quiet-off = Өшіру
quiet-off = өшірулі
quiet-heading = Тыныш сағаттар ({ $zone } уақыты): осы уақытта келген жаңалықтарды ұстап тұрып, олар біткенде бірге жіберемін.
held-heading = 🌙 <b>Тыныш сағаттарыңыз кезінде, { $period }</b>
admin-stats-quiet = <b>Тыныш сағаттар</b>: { $count }

# --- own time zone (/settings) ---
button-settings-zone = 🕰 { $zone }
zone-default = бот уақыты
zone-heading = Шолу мен тыныш сағаттар үшін уақыт белдеуін таңдаңыз (қазір { $zone }):
admin-stats-zones = <b>Өз уақыт белдеулері</b>: { $count }

# --- quiet hours: held or sent silently (/settings) ---
quiet-heading-silent = Тыныш сағаттар ({ $zone } уақыты): осы уақытта келген жаңалықтарды бірден, бірақ хабарландыру дыбысынсыз жіберемін.
button-quiet-mode-hold = 🌙 Соңына дейін ұстау
button-quiet-mode-silent = 🔕 Дыбыссыз жіберу
quiet-mode-hold = соңына дейін ұсталады
quiet-mode-silent = дыбыссыз
quiet-with-mode = { $quiet }, { $mode }
# --- paid broadcasts (PAID_BROADCAST) ---
broadcast-confirm-paid =
    ⏱ Тегін: шамамен { $freeTime }, { $freeRate } хабар/с.
    ⭐ Ақылы: шамамен { $paidTime }, { $paidRate } хабар/с, боттың балансынан ең көбі { $stars } ⭐ (Telegram секундына тегін 30 хабардан асқан әрқайсысы үшін 0,1 ⭐ алады).
button-broadcast-send-paid = ⭐ Ақылы жіберу
button-broadcast-send-free = 📣 Тегін жіберу
broadcast-progress-paid = ⭐ Ақылы: тегін жылдамдықтан тыс хабарлар — { $paid }, ең көбі { $stars } ⭐.
broadcast-progress-unpaid = ⚠️ Telegram ақылы хабарлардың { $unpaid } данасын қабылдамады: боттың балансында жұлдыз жетпейді. Олар да, қалғаны да тегін жылдамдықпен тегін жіберіледі; ештеңе жоғалмайды. Келесі ақылы таратудың алдында балансты толтырыңыз.
broadcast-progress-limited = 🐢 Telegram-ның 429 жауаптары: { $count } (ондай әр хабар кідірістен кейін жіберілді).
