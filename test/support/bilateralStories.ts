import { rssFeed } from "./rssFeed.js";

/** A headline and summary as an outlet publishes them. */
export type StoryItem = { title: string; summary: string; link: string };

/**
 * Russian stories the relevance filter accepts, each tagged with one clear topic, for tests that
 * deliver news to chosen topics (channels, forum topics).
 */
export const STORIES = {
  /** trade (and diplomacy) */
  trade: {
    title: "Казахстан и Узбекистан договорились довести товарооборот до 10 млрд долларов",
    summary: "Премьер-министры двух стран подписали дорожную карту по расширению торговли и экспорта.",
    link: "https://outlet-a.test/news/trade-10bn",
  },
  /** culture */
  culture: {
    title: "В Ташкенте открылись Дни культуры Казахстана",
    summary: "Казахстанские артисты выступят в столице Узбекистана с концертами и выставками.",
    link: "https://outlet-a.test/news/culture-days",
  },
  /** energy (and water, industry) */
  energy: {
    title: "Казахстан и Узбекистан построят совместную ГЭС на реке Сырдарья",
    summary:
      "Энергетики двух стран подписали соглашение о строительстве гидроэлектростанции и поставках электроэнергии.",
    link: "https://outlet-a.test/news/joint-hydro",
  },
  /** energy, another event */
  energyLater: {
    title: "Узбекистан увеличит поставки электроэнергии в Казахстан",
    summary: "Энергосистемы Казахстана и Узбекистана договорились о перетоках электроэнергии зимой.",
    link: "https://outlet-a.test/news/power-flows",
  },
  /** culture, another event */
  cultureLater: {
    title: "В Алматы проходит фестиваль узбекского кино",
    summary: "Фильмы узбекских режиссёров покажут зрителям Казахстана, в программе концерты и выставки.",
    link: "https://outlet-a.test/news/film-festival",
  },
} satisfies Record<string, StoryItem>;

/** A feed of `items`, published in order over the last half hour. */
export function storyFeed(items: readonly StoryItem[]): string {
  return rssFeed(
    "Test outlet",
    items.map((item, i) => ({
      title: item.title,
      link: item.link,
      description: `<![CDATA[<p>${item.summary}</p>]]>`,
      published: new Date(Date.now() - (30 - i) * 60_000),
    })),
  );
}
