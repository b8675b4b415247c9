/** One item of a generated test feed; `description` goes in verbatim (CDATA allowed). */
export type RssItem = { title: string; link: string; description: string; published: Date; guid?: string };

/** An RSS 2.0 document in the shape real outlets publish, for tests that need fresh dates. */
export function rssFeed(title: string, items: readonly RssItem[]): string {
  const entries = items
    .map(
      (i) => `<item>
  <title>${i.title}</title>
  <link>${i.link}</link>
  <guid>${i.guid ?? i.link}</guid>
  <description>${i.description}</description>
  <pubDate>${i.published.toUTCString()}</pubDate>
</item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${title}</title><link>https://example.test/</link><description>test</description>
${entries}
</channel></rss>`;
}
