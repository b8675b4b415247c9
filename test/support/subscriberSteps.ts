import type { BotHarness } from "./botHarness.js";
import { rssFeed } from "./rssFeed.js";
import type { TestUser } from "./telegramEmulator.js";

/** A news item of a test feed, published `minutesAgo`. */
export type NewsItem = { title: string; summary: string; link: string; minutesAgo: number };

/** An RSS feed of `items` with fresh dates, as an outlet would publish them. */
export function newsFeed(items: readonly NewsItem[]): string {
  const now = Date.now();
  return rssFeed(
    "Test outlet",
    items.map((item) => ({
      title: item.title,
      link: item.link,
      description: `<![CDATA[<p>${item.summary}</p>]]>`,
      published: new Date(now - item.minutesAgo * 60_000),
    })),
  );
}

/**
 * Subscribes `user` through the /subscribe dialogue in English: presses each of `topics`, Done,
 * No to the daily rates, Confirm. Returns the summary text shown before Confirm.
 */
export async function subscribeByDialogue(
  h: BotHarness,
  user: TestUser,
  topics: ReadonlyArray<string | RegExp>,
): Promise<string> {
  const dialogue = await user.ask("/subscribe");
  for (const topic of topics) await user.waitForAnswer(user.press(topic, dialogue));
  await user.waitForAnswer(user.press(/Done/, dialogue));
  await h.telegram.waitFor(() => /Step 2/.test(dialogue.text ?? ""), 8000, "step 2");
  await user.waitForAnswer(user.press("No", dialogue));
  await h.telegram.waitFor(() => /Step 3/.test(dialogue.text ?? ""), 8000, "step 3");
  const summary = dialogue.text ?? "";
  await user.waitForAnswer(user.press(/Confirm/, dialogue));
  await h.telegram.waitFor(() => /subscribed/.test(dialogue.text ?? ""), 8000, "the subscription");
  return summary;
}

/** A fixed-offset zone in which it is now `localHour` o'clock (Etc/GMT-5 is UTC+5). */
export function zoneAtLocalHour(localHour: number): string {
  let offset = (localHour - new Date().getUTCHours() + 24) % 24;
  if (offset > 12) offset -= 24;
  return offset === 0 ? "Etc/GMT" : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
