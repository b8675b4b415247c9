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

# --- paid broadcasts (PAID_BROADCAST) ---
broadcast-confirm-paid =
    ⏱ Bepul: taxminan { $freeTime }, { $freeRate } xabar/s.
    ⭐ Pullik: taxminan { $paidTime }, { $paidRate } xabar/s, bot balansidan koʻpi bilan { $stars } ⭐ (Telegram soniyasiga bepul 30 tadan ortiq har bir xabar uchun 0,1 ⭐ oladi).
button-broadcast-send-paid = ⭐ Pullik yuborish
button-broadcast-send-free = 📣 Bepul yuborish
broadcast-progress-paid = ⭐ Pullik: bepul tezlikdan ortiq xabarlar — { $paid }, koʻpi bilan { $stars } ⭐.
broadcast-progress-unpaid = ⚠️ Telegram pullik xabarlardan { $unpaid } tasini rad etdi: bot balansida yulduz yetarli emas. Ular ham, qolganlari ham bepul tezlikda bepul yuboriladi; hech narsa yoʻqolmaydi. Keyingi pullik tarqatishdan oldin balansni toʻldiring.
broadcast-progress-limited = 🐢 Telegramdan 429 javoblari: { $count } (bunday har bir xabar tanaffusdan keyin yuborildi).
