/**
 * The morning briefing and the weekly digest as Telegram messages. Pure: the chosen stories, the
 * rates text and a translate function in, a list of HTML messages out, each within Telegram's
 * 4096 characters. A message is never cut inside a story's line (so every link and tag stays
 * whole); a topic that goes on in the next message repeats its heading.
 */
import { escapeHtml } from "../html.js";
import type { Language } from "../i18n/languages.js";
import type { Translate } from "../i18n/translator.js";
import { TOPIC_EMOJI, type TopicId } from "../news/topicIds.js";
import { escapeWithin, linked, type MarkedStory, MESSAGE_LIMIT } from "./formatStory.js";

export type BriefingSection = {
  /** A topic, or "keywords" for stories that only the reader's own keywords brought. */
  topic: TopicId | "keywords";
  stories: MarkedStory[];
  /** Stories of this section left out to keep the briefing short. */
  more: number;
};

export type BriefingInput = {
  /** A morning briefing, a weekly digest, or the stories held during quiet hours. */
  kind: "briefing" | "weekly" | "held";
  language: Language;
  translate: Translate;
  /** The period's label, e.g. "3 December" or "30 Nov – 6 Dec", already in the reader's language. */
  period: string;
  /** The day's official rates (HTML), for a briefing; omitted in a digest or when unavailable. */
  ratesHtml?: string;
  sections: BriefingSection[];
  /** Message length limit; Telegram's 4096 unless a test asks for less. */
  maxLength?: number;
};

const MAX_TITLE = 200;
const MAX_OUTLET = 60;

/** One story as a briefing line: "• linked title — outlet", and the keyword that brought it. */
function storyLine(story: MarkedStory): string {
  const title = linked(escapeWithin(story.title || story.outlet, MAX_TITLE, MAX_TITLE * 6), story.link);
  const outlet = escapeWithin(story.outlet, MAX_OUTLET, MAX_OUTLET * 6);
  const keyword = story.matchedKeyword ? ` 🔑 <b>${escapeWithin(story.matchedKeyword, 40, 240)}</b>` : "";
  return `• ${title}${outlet ? ` — <i>${outlet}</i>` : ""}${keyword}`;
}

function sectionHeading(section: BriefingSection, input: BriefingInput): string {
  if (section.topic === "keywords")
    return `<b>🔑 ${escapeHtml(input.translate(input.language, "briefing-keywords"))}</b>`;
  const name = input.translate(input.language, `topic-${section.topic}`);
  return `<b>${TOPIC_EMOJI[section.topic]} ${escapeHtml(name)}</b>`;
}

/**
 * The briefing as messages, in order. The first opens with the greeting and the rates; with no
 * stories it says so, so a briefing always arrives.
 */
export function formatBriefing(input: BriefingInput): string[] {
  const max = input.maxLength ?? MESSAGE_LIMIT;
  const t = (key: string, vars?: Record<string, string | number>) =>
    input.translate(input.language, key, vars);
  const title = { briefing: "briefing-heading", weekly: "digest-heading", held: "held-heading" }[input.kind];
  const head = [t(title, { period: input.period })];
  if (input.ratesHtml) head.push(input.ratesHtml);
  if (input.sections.length === 0) head.push(t("briefing-no-stories"));

  const messages: string[] = [];
  let current = "";
  const flush = () => {
    if (current) messages.push(current);
    current = "";
  };
  /** Appends a block after a separator, starting a new message when it would not fit. */
  const add = (block: string, separator: string, heading?: string) => {
    const piece = block.length > max ? escapeWithin(block.replace(/<[^>]*>/g, ""), max, max) : block;
    if (current && current.length + separator.length + piece.length <= max) {
      current += separator + piece;
      return;
    }
    flush();
    current = heading && heading.length + 1 + piece.length <= max ? `${heading}\n${piece}` : piece;
  };

  for (const block of head) add(block, "\n\n");
  for (const section of input.sections) {
    const heading = sectionHeading(section, input);
    const lines = section.stories.map(storyLine);
    if (section.more > 0) lines.push(t("briefing-more", { count: section.more }));
    // The heading travels with its first line, so no message ends on a heading alone.
    add(lines.length > 0 ? `${heading}\n${lines[0]}` : heading, "\n\n");
    for (const line of lines.slice(1)) add(line, "\n", heading);
  }
  flush();
  return messages;
}
