# Oʻzbekcha (lotin yozuvi). Barcha identifikatorlar ru.ftl, en.ftl, kk.ftl fayllarida ham bor.

language-name = Oʻzbekcha

welcome =
    👋 Assalomu alaykum, { $name }!

    Men <b>Qozogʻiston va Oʻzbekiston</b> hamkorligini kuzataman: savdo, energetika, transport, suv, turizm, madaniyat va boshqalar. Qozogʻiston va Oʻzbekiston OAVlarini rus, qozoq, oʻzbek va ingliz tillarida oʻqib, faqat ikki davlat munosabatlariga oid xabarlarni qoldiraman va har bir xabarni mavzusi bilan bir marta yuboraman.

    Har kuni Qozogʻiston Milliy bankining dollar, yevro, rubl va yuanning tengedagi rasmiy kurslarini ham yubora olaman.

    { $commands }
help =
    <b>Nimalar qila olaman</b>

    { $commands }

    Oʻzingizni qiziqtirgan mavzularni tanlang, men faqat shularni yuboraman.
commands-heading = Buyruqlar:

cmd-start = Salomlashish va bot haqida
cmd-help = Buyruqlar roʻyxati
cmd-language = Tilni almashtirish

language-choose = Tilni tanlang:
language-changed = Tayyor: endi siz bilan oʻzbekcha gaplashaman.

unknown-command = { $command } buyrugʻini bilmayman. Nimalar qila olishimni koʻrish uchun /help yuboring.
plain-text = Men faqat buyruqlarga javob beraman. Nimalar qila olishimni koʻrish uchun /help yuboring.
error-generic = Menda nimadir xato ketdi. Bir daqiqadan soʻng qayta urinib koʻring.
button-expired = Bu tugma endi ishlamaydi.

cmd-subscribe = Obuna boʻlish va mavzularni tanlash
cmd-topics = Mavzularni oʻzgartirish
cmd-settings = Sozlamalaringiz
cmd-keywords = Oʻz kalit soʻzlaringiz
cmd-latest = Mavzularingiz boʻyicha soʻnggi xabarlar
cmd-rates = QMB rasmiy kurslari
cmd-unsubscribe = Barcha xabarlarni toʻxtatish
cmd-cancel = Joriy muloqotdan chiqish

topic-diplomacy = Diplomatiya
topic-trade = Savdo
topic-industry = Sanoat
topic-energy = Energetika
topic-transport = Transport va logistika
topic-agriculture = Qishloq xoʻjaligi
topic-water = Suv va ekologiya
topic-tourism = Turizm
topic-culture = Madaniyat
topic-education = Taʼlim va fan
topic-security = Xavfsizlik va chegaralar
topic-digital = Raqamlashtirish va IT
topic-finance = Moliya va banklar
topic-health = Sogʻliqni saqlash
topic-migration = Migratsiya va mehnat
topic-other = Boshqa

button-all-topics = Barcha mavzular
button-done = Tayyor
button-yes = Ha
button-no = Yoʻq
button-confirm = Tasdiqlash
button-change-topics = Mavzularni oʻzgartirish
subscribe-topics = <b>1/3-qadam.</b> Kuzatmoqchi boʻlgan mavzularni tanlang (tanlash yoki olib tashlash uchun bosing), soʻng «Tayyor» tugmasini bosing.
subscribe-pick-one = Kamida bitta mavzuni tanlang.
subscribe-rates = <b>2/3-qadam.</b> Har kuni soat { $time } da QMB rasmiy kurslarini yuborayinmi?
subscribe-summary =
    <b>3/3-qadam.</b> Tanlovingizni tekshiring:

    Mavzular: { $topics }
    Kunlik kurslar: { $rates }
    Yangiliklar tillari: { $storyLanguages }
    Oʻz kalit soʻzlarim: { $keywords }
    Yetkazish: { $delivery }
    Sokin soatlar: { $quiet }
    Vaqt mintaqasi: { $zone }

    Obuna boʻlish uchun «Tasdiqlash» tugmasini bosing.
rates-choice-yes = ha, soat { $time } da
rates-choice-no = yoʻq
subscribe-done =
    ✅ Siz obuna boʻldingiz. Quyidagi mavzular boʻyicha xabarlar olasiz: { $topics }.{ $ratesLine }

    Mavzularni /topics orqali, qolganini /settings orqali oʻzgartirasiz, obunani toʻxtatish — /unsubscribe.
subscribe-done-rates = { " " }Har kuni soat { $time } da QMB kurslari ham keladi.
conversation-use-buttons = Iltimos, yuqoridagi tugmalardan foydalaning yoki chiqish uchun /cancel yuboring.
cancelled = Bekor qilindi. Hech narsa oʻzgarmadi.
nothing-to-cancel = Bekor qiladigan narsa yoʻq.
topics-heading = Mavzularni tanlang (tanlash yoki olib tashlash uchun bosing), soʻng «Tayyor» tugmasini bosing.
topics-saved = ✅ Mavzular saqlandi: { $topics }.
not-subscribed = Siz hali obuna boʻlmagansiz. Boshlash uchun /subscribe yuboring.
unsubscribe-confirm = Botdan keladigan barcha xabarlarni toʻxtatasizmi? Tanlovingiz saqlanadi, /subscribe uni qaytaradi.
button-unsubscribe-yes = Ha, toʻxtatish
button-unsubscribe-no = Yoʻq, qoldirish
unsubscribed = Obuna toʻxtatildi. Qaytmoqchi boʻlsangiz, /subscribe yuboring.
unsubscribe-kept = Hech narsa oʻzgarmadi: obuna saqlandi.
settings =
    ⚙️ <b>Sozlamalaringiz</b>

    Holat: { $status }
    Mavzular: { $topics }
    Kunlik kurslar: { $rates }
    Til: { $language }
    Yangiliklar tillari: { $storyLanguages }
    Oʻz kalit soʻzlarim: { $keywords }
    Yetkazish: { $delivery }
    Sokin soatlar: { $quiet }
    Vaqt mintaqasi: { $zone }
status-active = faol
status-paused = toʻxtatilgan
button-settings-topics = 🗂 Mavzular
button-settings-rates-on = 💱 Kurslar: yoqilgan
button-settings-rates-off = 💱 Kurslar: oʻchirilgan
button-settings-time = ⏰ Kurslar soat { $time } da
button-settings-language = 🌐 Til
welcome-back = Xush kelibsiz! Obunangiz yana faol.
group-admins-only = Guruh obunasini faqat uning administratorlari oʻzgartira oladi.
buttons-not-yours = Bu tugmalar boshqa odamning muloqotiga tegishli.
latest-empty = Mavzularingiz boʻyicha hozircha xabar yoʻq. OAV eʼlon qilishi bilan keladi.
latest-heading = Mavzularingiz boʻyicha soʻnggi xabarlar:

story-also-reported = Shuningdek xabar berdi: { $outlets }

rates-heading = 💱 <b>Qozogʻiston Milliy bankining rasmiy kurslari</b>
rates-for-today = bugun uchun, { $date }
rates-for-latest = { $date } uchun, soʻnggi rasmiy kurslar
rates-for-outdated = { $date } uchun: yangiroq kurslarni hozir olib boʻlmadi
rates-for-upcoming = { $date } uchun, oldindan belgilangan
rates-for-cross = ⚠️ QMB javob bermadi: Oʻzbekiston Markaziy bankining { $date } uchun kross-kurslari, rasmiy EMAS
rates-source-nbk = Manba: Qozogʻiston Milliy banki
rates-source-cbu = Manba: Oʻzbekiston Markaziy banki (kross-kurslar)
rates-per-100 = 100 uchun
rates-unavailable = Rasmiy kurslar hozir mavjud emas. Bir necha daqiqadan soʻng qayta urinib koʻring.
rates-chart-title = { $currency }/KZT, { $days } kun
button-days = { $days } kun
rates-daily-greeting = Xayrli tong! Bugungi kurslar:
rates-admin-alert = ⚠️ QMBning { $date } uchun rasmiy kurslarini olib boʻlmadi, shuning uchun obunachilarga kunlik kurs xabari yuborilmadi. Sabab: { $reason }
rates-admin-alert-fallback = ⚠️ QMBning { $date } uchun rasmiy kurslarini olib boʻlmadi: obunachilar Oʻzbekiston Markaziy bankining «rasmiy emas» deb belgilangan kross-kurslarini oldi. Sabab: { $reason }

# --- admin tools (ADMIN_IDS only) ---
cmd-broadcast = Obunachilarga eʼlon yuborish
cmd-broadcast_cancel = Joriy tarqatishni toʻxtatish
cmd-stats = Obunachilar, yangiliklar va yetkazish
cmd-feeds = Lentalar holati; pauza, davom, qoʻshish, oʻchirish
cmd-audit = Adminlarning soʻnggi amallari

broadcast-ask =
    📣 <b>Yangi tarqatish</b>

    Eʼlonni yuboring: matn (formatlash saqlanadi), izohli rasm yoki video, yoki xabarni uzating. Chiqish uchun /cancel.
broadcast-copy-failed = Bu xabarni nusxalay olmadim ({ $reason }). Boshqasini yuboring.
broadcast-preview = ☝️ Obunachilar aynan shunday oladi. Kimga yuborilsin?
button-audience-all = 👥 Hammaga
button-audience-topics = 🏷 Mavzu boʻyicha
button-audience-languages = 🌐 Til boʻyicha
button-audience-change = Auditoriyani oʻzgartirish
button-broadcast-send = 📣 Yuborish
button-cancel = Bekor qilish
broadcast-pick-topics = Mavzularni tanlang: ulardan istalganiga obuna boʻlganlar oladi.
broadcast-pick-languages = Tillarni tanlang: botni shu tillardan birida oʻqiydiganlar oladi.
broadcast-pick-one = Kamida bittasini tanlang.
audience-all = barcha faol obunachilar
audience-topics = { $topics } mavzulari obunachilari
audience-languages = tili: { $languages }
broadcast-confirm =
    <b>Auditoriya:</b> { $audience }
    <b>Chatlar:</b> { $count }

    Yuqoridagi xabar ularga yuborilsinmi?
broadcast-nobody =
    <b>Auditoriya:</b> { $audience }
    Hech kim mos kelmaydi. Boshqa auditoriyani tanlang.
broadcast-dropped = Tarqatish bekor qilindi. Hech narsa yuborilmadi.
broadcast-preparing = Qabul qiluvchilar roʻyxatini tayyorlayapman…
broadcast-progress =
    📣 <b>№{ $id } tarqatish</b>: { $status }
    Chatlar: { $total }
    ✅ Yuborildi: { $sent }
    🚫 Bloklagan yoki oʻchirilgan: { $blocked }
    ⚠️ Xatolar: { $failed }
    ⏳ Qoldi: { $remaining }
    Tezlik: { $rate } xabar/s · qolgan vaqt: { $eta }
broadcast-status-queued = oldingi tarqatish tugashini kutmoqda
broadcast-status-running = yuborilmoqda
broadcast-status-done = tugadi
broadcast-status-cancelled = bekor qilindi
broadcast-cancelled = №{ $id } tarqatish bekor qilindi: { $total } tadan { $sent } tasi yuborildi, boshqa hech narsa ketmaydi.
broadcast-nothing-to-cancel = Hozir tarqatish yoʻq.
broadcast-cancel-usage = Shunday: /broadcast_cancel yoki №12 tarqatish uchun /broadcast_cancel 12.

admin-stats =
    📊 <b>Statistika</b>

    <b>Obunachilar:</b> { $total }
    faol { $active } · pauzada { $paused } · bloklagan { $blocked } · oʻchirilgan { $gone }
    Kunlik kurslar: { $rates }
    { $destinations }

    <b>Tillar boʻyicha</b> (faol)
    { $languages }

    <b>Mavzular boʻyicha</b> (faol)
    { $topics }

    <b>Yangiliklar:</b> bugun { $storiesToday } · 7 kunda { $storiesWeek }
    <b>Bugungi xabarlar:</b> yuborildi { $sent } · xato { $failed } · bloklandi { $blockedToday } · 429: { $rateLimited }
    <b>Navbat:</b> { $queue } kutmoqda · yetkazilmaganlar { $dead }

feeds-heading = 📰 <b>Lentalar</b>: { $count }, soʻraladigani { $active }
feeds-none = Lentalar yoʻq.
feed-line =
    { $icon } <b>{ $id }</b> ({ $outlet }, { $language }){ $added }: { $state }
        soʻnggi muvaffaqiyat { $success } · bugungi materiallar { $items }
feed-line-error = {"    "}soʻnggi xato { $at }: { $reason }
feed-added-mark = {" "}· admin qoʻshgan
feed-never = hech qachon
feed-state-ok = joyida
feed-state-paused = pauzada
feed-state-new = hali soʻralmagan
feed-state-failing = xatolar bilan
feed-state-backoff = xatolardan soʻng { $until } gacha tanaffus
feeds-help = Oʻzgartirish: /feeds pause &lt;id&gt; · /feeds resume &lt;id&gt; · /feeds remove &lt;id&gt; · /feeds add &lt;id&gt; &lt;url&gt; &lt;til&gt; &lt;nashr…&gt;
feeds-usage = Shunday: /feeds, /feeds pause &lt;id&gt;, /feeds resume &lt;id&gt;, /feeds remove &lt;id&gt;, /feeds add &lt;id&gt; &lt;url&gt; &lt;til&gt; &lt;nashr…&gt; (til: ru, kk, uz-Latn, uz-Cyrl, en)
feeds-paused = <b>{ $id }</b> lentasi pauzada: /feeds resume { $id } gacha soʻralmaydi.
feeds-resumed = <b>{ $id }</b> lentasi keyingi sikldan yana soʻraladi.
feeds-removed = <b>{ $id }</b> lentasi oʻchirildi.
feeds-added = <b>{ $id }</b> lentasi qoʻshildi: keyingi sikldan soʻraladi.
feeds-exists = <b>{ $id }</b> id li lenta allaqachon bor.
feeds-unknown = <b>{ $id }</b> lentasi yoʻq. Roʻyxat: /feeds.
feeds-already-paused = <b>{ $id }</b> lentasi allaqachon pauzada.
feeds-not-paused = <b>{ $id }</b> lentasi pauzada emas.
feeds-invalid = Lenta notoʻgʻri koʻrsatilgan: { $reason }

audit-heading = 🗒 <b>Adminlarning soʻnggi amallari</b>
audit-empty = Hozircha admin amallari yoʻq.
audit-audience = { $count } ta chat

# Flood control: sent once when a chat writes faster than a person would (src/bot/middleware/floodControl.ts).
flood-notice = Xabarlar juda tez-tez kelyapti. Biroz jim turaman, bir necha soniyadan keyin yana javob beraman.

# --- channels and forum topics ---
cmd-channels = Kanallarni ulash va boshqarish
channels-connect-how =
    📢 <b>Kanalni ulash</b>

    1. Meni kanalga <b>xabar joylash</b> huquqiga ega administrator sifatida qo'shing.
    2. So'ng quyidagi tugmani bosib kanalni tanlang, yoki undan istalgan postni menga uzating, yoki uning @username nomini yuboring.

    Kanalni faqat uning administratori ulay oladi. Kanal yangiliklari shu yerda, shu chatda sozlanadi.
button-pick-channel = 📢 Kanalni tanlash
channels-list = Siz boshqaradigan kanallar ({ $count }): sozlamalarini o'zgartirish uchun kanalni bosing.
channel-not-found = { $title } kanalini topa olmadim. @username nomini tekshiring yoki kanaldan postni menga uzating.
channel-not-a-channel = { $title } kanal emas. Guruh uchun meni guruhga qo'shing va u yerda /subscribe yuboring (forumda — yangiliklar kerak bo'lgan mavzu ichida).
channel-bot-not-admin = Men «{ $title }» kanalining administratori emasman. Meni kanalga xabar joylash huquqiga ega administrator sifatida qo'shing va qayta urinib ko'ring.
channel-bot-cannot-post = Men «{ $title }» kanalining administratoriman, lekin u yerda xabar joylay olmayman. Menga «Xabar joylash» huquqini yoqing va qayta urinib ko'ring.
channel-user-not-admin = «{ $title }» kanalini faqat uning administratori ulay oladi.
channel-connected = ✅ <b>{ $title }</b> kanali ulandi. Endi u nimalarni olishini tanlang:
channel-connected-again = ✅ <b>{ $title }</b> kanali sizga ham ulandi.
channel-subscribe-done =
    ✅ Kanal obuna bo'ldi: u { $topics } mavzulari bo'yicha yangiliklar oladi.{ $ratesLine }

    Uning sozlamalarini shu yerda o'zgartiring: /settings yoki /channels.
channel-settings =
    📢 <b>{ $title }</b>

    Holati: { $status }
    Mavzular: { $topics }
    Kunlik kurslar: { $rates }
    Til: { $language }
channel-settings-new =
    📢 <b>{ $title }</b>

    Kanal ulangan, lekin hali obuna bo'lmagan.
status-channel-blocked = to'xtatilgan: kanalda xabar joylay olmayman
button-channel-subscribe = ✅ Kanalni obuna qilish
button-channel-pause = ⏸ To'xtatish
button-channel-resume = ▶️ Davom ettirish
button-channel-disconnect = ✖️ Uzish
channel-disconnected = <b>{ $title }</b> kanali sizdan uzildi.
channel-not-yours = Siz bu kanalni boshqarmaysiz.
channel-no-longer-admin = Siz endi «{ $title }» kanalining administratori emassiz, shuning uchun uni bu yerda boshqara olmaysiz.
channel-cannot-resume = Men hali ham «{ $title }» kanalida xabar joylay olmayman. Avval meni xabar joylash huquqiga ega administrator qiling.
channel-paused-notice = ⚠️ Men endi <b>{ $title }</b> kanalida xabar joylay olmayman: meni olib tashlashdi yoki xabar joylash huquqidan mahrum qilishdi. Kanal obunasi to'xtatildi, hech narsa yo'qolmaydi: meni yana «Xabar joylash» huquqiga ega administrator qilsangiz, u davom etadi.
channel-resumed-notice = ✅ Men <b>{ $title }</b> kanalida yana xabar joylay olaman: uning obunasi faol.
topic-paused-notice = ⚠️ Men yangiliklar yuborgan mavzu (№{ $thread } mavzu) yopildi yoki o'chirildi, shuning uchun uning obunasi to'xtatildi. Administrator mavzuni qayta ochishi yoki boshqa mavzu ichida /subscribe yuborishi mumkin.
topic-resumed-notice = ✅ №{ $thread } mavzu yana yangiliklar oladi.
admin-stats-destinations = Qayerda (faol): shaxsiy chatlar { $private } · guruhlar { $groups } · kanallar { $channels } · forum mavzulari { $topics }
button-audience-channels = 📢 Faqat kanallar
button-audience-threads = 🧵 Faqat forum mavzulari
button-audience-chats = 👤 Kanallar va mavzularsiz
audience-places-channels = barcha faol kanallar
audience-places-threads = barcha faol forum mavzulari
audience-places-chats = barcha faol shaxsiy chatlar va guruhlar (kanallar va forum mavzularisiz)
# --- story languages (/settings) ---
button-settings-story-languages = 🗣 Yangiliklar tillari
story-languages-heading = <b>Yangiliklar tillari.</b> Oʻqiydigan nashrlaringiz tillarini belgilang. Voqea haqida bir necha tilda yozilgan boʻlsa, siz bitta variantini olasiz (iloji boʻlsa, interfeys tilida), qolgan nashrlar uning ostida koʻrsatiladi.
story-languages-pick-one = Kamida bitta tilni qoldiring.
story-languages-all = barcha tillar
story-language-ru = Ruscha
story-language-kk = Qozoqcha
story-language-uz-Latn = Oʻzbekcha (lotin)
story-language-uz-Cyrl = Oʻzbekcha (kirill)
story-language-en = Inglizcha
admin-stats-story-languages = <b>Yangiliklar tillari</b> (faol, hammasini tanlamaganlar): { $languages }

# --- own keywords (/keywords, /settings) ---
button-settings-keywords = 🔑 Kalit soʻzlar
button-keywords-clear = 🗑 Hammasini oʻchirish
keywords-prompt =
    🔑 <b>Kalit soʻzlaringiz</b>
    { $keywords }

    Istalgan tilda 10 tagacha soʻz yoki iborani vergul bilan yuboring, masalan: <i>Toshkent, UzAuto Motors, Rogun GES</i>. Roʻyxat hozirgisining oʻrnini egallaydi. Boshqa qoʻshimchalar va boshqa yozuv ham mos keladi, kalit soʻzli yangilik esa mavzularingizdan tashqarida boʻlsa ham keladi. Guruhda: /keywords soʻz, soʻz. /cancel — chiqish.
keywords-none = yoʻq
keywords-cleared = 🔑 Kalit soʻzlar oʻchirildi.
keywords-saved =
    ✅ Kalit soʻzlar saqlandi. Men qidiraman:
    { $keywords }
keywords-none-usable = Bularning hech biri kalit soʻz boʻla olmaydi; roʻyxatni qayta yuboring yoki /cancel.
keyword-refused = ✗ «{ $entry }»: { $reason }
keyword-error-too-short = { $min } harfdan qisqa
keyword-error-too-long = { $max } belgidan uzun
keyword-error-too-many-words = { $words } soʻzdan koʻp
keyword-error-syntax = faqat harflar, raqamlar, boʻsh joy, chiziqcha, nuqta va apostrof mumkin
keyword-error-no-letters = harf ham, raqam ham yoʻq
keyword-error-too-many = koʻpi bilan { $count } kalit soʻz
story-keyword = 🔑 Kalit soʻzingiz: <b>{ $keyword }</b>
admin-stats-keywords = <b>Oʻz kalit soʻzlari</b>: { $chats } chat, { $keywords } soʻz

# --- delivery mode: instant, morning briefing, weekly digest (/settings) ---
button-settings-mode = 📬 { $mode }
button-settings-briefing-hour = ☀️ Sharh soat { $time }
button-back = ← Orqaga
delivery-mode-instant = Darhol
delivery-mode-briefing = Ertalabki sharh
delivery-mode-weekly = Haftalik dayjest
delivery-line-instant = har bir yangilik darhol
delivery-line-briefing = har kuni soat { $time } da sharh (kurslar va mavzular boʻyicha yangiliklar)
delivery-line-weekly = har dushanba soat { $time } da dayjest
briefing-hour-heading = Sharh yoki haftalik dayjest soatini tanlang ({ $zone } vaqti):
briefing-heading = ☀️ <b>{ $period } uchun sharhingiz</b>
digest-heading = 🗞 <b>Haftalik dayjestingiz, { $period }</b>
briefing-no-stories = Oxirgi sharhdan beri mavzularingiz boʻyicha yangi yangilik yoʻq.
briefing-more = …yana { $count } ta: /latest
briefing-keywords = Kalit soʻzlaringiz
admin-stats-delivery = <b>Yetkazish</b>: darhol { $instant } · sharh { $briefing } · dayjest { $weekly }

# --- quiet hours (/settings) ---
button-settings-quiet = 🌙 Sokin soatlar: { $quiet }
button-quiet-off = Oʻchirish
quiet-off = oʻchiq
quiet-heading = Sokin soatlar ({ $zone } vaqti): shu vaqtda kelgan yangiliklarni ushlab turaman va ular tugagach birga yuboraman.
held-heading = 🌙 <b>Sokin soatlaringiz davomida, { $period }</b>
admin-stats-quiet = <b>Sokin soatlar</b>: { $count }

# --- own time zone (/settings) ---
button-settings-zone = 🕰 { $zone }
zone-default = bot vaqti
zone-heading = Sharh va sokin soatlar uchun vaqt mintaqasini tanlang (hozir { $zone }):
admin-stats-zones = <b>Oʻz vaqt mintaqalari</b>: { $count }

# --- quiet hours: held or sent silently (/settings) ---
quiet-heading-silent = Sokin soatlar ({ $zone } vaqti): shu vaqtda kelgan yangiliklarni darhol, lekin bildirishnoma ovozisiz yuboraman.
button-quiet-mode-hold = 🌙 Tugagunicha ushlab turish
button-quiet-mode-silent = 🔕 Ovozsiz yuborish
quiet-mode-hold = tugagunicha ushlab turiladi
quiet-mode-silent = ovozsiz
quiet-with-mode = { $quiet }, { $mode }
# --- paid broadcasts (PAID_BROADCAST) ---
broadcast-confirm-paid =
    ⏱ Bepul: taxminan { $freeTime }, { $freeRate } xabar/s.
    ⭐ Pullik: taxminan { $paidTime }, { $paidRate } xabar/s, bot balansidan koʻpi bilan { $stars } ⭐ (Telegram soniyasiga bepul 30 tadan ortiq har bir xabar uchun 0,1 ⭐ oladi).
button-broadcast-send-paid = ⭐ Pullik yuborish
button-broadcast-send-free = 📣 Bepul yuborish
broadcast-progress-paid = ⭐ Pullik: bepul tezlikdan ortiq xabarlar — { $paid }, koʻpi bilan { $stars } ⭐.
broadcast-progress-unpaid = ⚠️ Telegram pullik xabarlardan { $unpaid } tasini rad etdi: bot balansida yulduz yetarli emas. Ular ham, qolganlari ham bepul tezlikda bepul yuboriladi; hech narsa yoʻqolmaydi. Keyingi pullik tarqatishdan oldin balansni toʻldiring.
broadcast-progress-limited = 🐢 Telegramdan 429 javoblari: { $count } (bunday har bir xabar tanaffusdan keyin yuborildi).
