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
