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
