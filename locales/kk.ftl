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
