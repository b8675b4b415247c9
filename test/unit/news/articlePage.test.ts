import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_AGENT } from "../../../src/http/fetchBytes.js";
import {
  extractArticle,
  fetchArticlePage,
  MAX_ARTICLE_CHARS,
  MAX_ARTICLE_ELEMENTS,
  MIN_ARTICLE_CHARS,
} from "../../../src/news/articlePage.js";
import { FeedServer } from "../../support/feedServer.js";

const PAGE_FILE = fileURLToPath(new URL("../../fixtures/pages/visit-ru.html", import.meta.url));
const VISIT_PAGE = readFileSync(PAGE_FILE, "utf8");
const PAGE_URL = "https://ru.example.uz/2026/12/visit";

const PARAGRAPH =
  "Министры энергетики Казахстана и Узбекистана обсудили в Ташкенте строительство новой линии электропередачи и поставки электроэнергии в зимний период. ";

/** A news page as CMSes write them: menu, article, sidebar, footer, scripts. */
function newsPage(body: string, head = ""): string {
  return `<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Новость</title>${head}</head>
<body><header><nav><a href="/">Главная</a> <a href="/politics">Политика</a> <a href="/economy">Экономика</a></nav></header>
<main><article><h1>Заголовок</h1>${body}</article>
<aside><h3>Популярное</h3><a href="/n/1">Курс доллара вырос</a> <a href="/n/2">Первый снег в Алматы</a></aside></main>
<footer>© 2026 Пример.kz · Реклама на сайте · Контакты</footer><script>var x = 1;</script></body></html>`;
}

describe("extractArticle", () => {
  it("keeps the article's paragraphs and leaves out menu, banners, inline ads, sidebar and footer", () => {
    const { text } = extractArticle(VISIT_PAGE, PAGE_URL);
    expect(text).toBeDefined();
    const lines = (text ?? "").split("\n");
    expect(lines[0]).toMatch(/^Президент Узбекистана Шавкат Мирзиёев/);
    expect(text).toContain("Камбаратинской ГЭС");
    expect(text).toContain("водными ресурсами бассейна Сырдарьи");
    expect(text).toContain("Следующее заседание Высшего межгосударственного совета");
    // Each paragraph on a line of its own: "...документов.Главы" would glue two words together.
    expect(lines).toHaveLength(5);
    for (const noise of [
      "Политика",
      "Мы используем файлы cookie",
      "вклад «Надёжный»",
      "ипотека от 17%",
      "Популярное",
      "первый снег",
      "смартфоны со скидкой",
      "Все права защищены",
      "dataLayer",
      "Telegram",
    ]) {
      expect(text, noise).not.toContain(noise);
    }
  });

  it("gives the og:image as an absolute URL, resolved against the page or its <base href>", () => {
    expect(extractArticle(VISIT_PAGE, PAGE_URL).image).toBe(
      "https://ru.example.uz/media/2026/12/visit-tashkent.jpg?w=1200",
    );
    const withBase = newsPage(
      `<p>${PARAGRAPH.repeat(3)}</p>`,
      '<base href="https://cdn.example.kz/site/"><meta property="og:image" content="img/lead.jpg?utm_source=x">',
    );
    expect(extractArticle(withBase, "https://example.kz/news/1").image).toBe(
      "https://cdn.example.kz/site/img/lead.jpg",
    );
    const twitterOnly = newsPage(
      `<p>${PARAGRAPH.repeat(3)}</p>`,
      '<meta name="twitter:image" content="//static.example.kz/t.png">',
    );
    expect(extractArticle(twitterOnly, "https://example.kz/news/1").image).toBe(
      "https://static.example.kz/t.png",
    );
  });

  it("gives no image for a data: or javascript: og:image, nor when there is none", () => {
    const dataImage = newsPage(
      `<p>${PARAGRAPH.repeat(3)}</p>`,
      '<meta property="og:image" content="data:image/png;base64,AAAA">',
    );
    expect(extractArticle(dataImage, "https://example.kz/news/1").image).toBeUndefined();
    expect(
      extractArticle(newsPage(`<p>${PARAGRAPH.repeat(3)}</p>`), "https://example.kz/n").image,
    ).toBeUndefined();
  });

  it("finds no article on a home page of teasers, a consent wall or an empty body", () => {
    const teasers = Array.from(
      { length: 30 },
      (_, i) => `<li><a href="/news/${i}">Новость номер ${i}: коротко о главном</a></li>`,
    ).join("");
    const home = `<!DOCTYPE html><html><head><title>Пример.uz</title><meta property="og:image" content="/logo.png"></head>
<body><nav><a href="/">Главная</a></nav><ul class="feed">${teasers}</ul><footer>© 2026</footer></body></html>`;
    const result = extractArticle(home, "https://example.uz/");
    expect(result.text).toBeUndefined();
    // The image of a page without an article is still what the page says it is.
    expect(result.image).toBe("https://example.uz/logo.png");

    const wall = newsPage("<p>Чтобы читать дальше, войдите или оформите подписку.</p>");
    expect(extractArticle(wall, "https://example.kz/n").text).toBeUndefined();
    expect(extractArticle("<html><body></body></html>", "https://example.kz/n").text).toBeUndefined();
  });

  it("gives nothing for what is not HTML: JSON, plain text, PDF bytes, an empty string", () => {
    const notHtml = [
      JSON.stringify({ title: "Казахстан и Узбекистан", body: PARAGRAPH.repeat(5) }),
      PARAGRAPH.repeat(5),
      "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj <</Type /Catalog>> endobj",
      "",
    ];
    for (const body of notHtml) {
      expect(extractArticle(body, "https://example.kz/n"), body.slice(0, 20)).toEqual({
        text: undefined,
        image: undefined,
      });
    }
  });

  it("cuts a very long article at a word boundary and reads a 1.5 MB page quickly", () => {
    const menu = `<nav>${Array.from({ length: 40_000 }, (_, i) => `<a href="/c/${i}">Раздел ${i}</a>`).join(" ")}</nav>`;
    const body = Array.from({ length: 120 }, () => `<p>${PARAGRAPH}</p>`).join("");
    const html = newsPage(`${menu}${body}`);
    expect(Buffer.byteLength(html)).toBeGreaterThan(1_500_000);
    const started = performance.now();
    const { text } = extractArticle(html, "https://example.kz/n");
    const elapsed = performance.now() - started;
    expect(text).toBeDefined();
    expect(text?.length).toBeLessThanOrEqual(MAX_ARTICLE_CHARS);
    expect(text?.length).toBeGreaterThan(MAX_ARTICLE_CHARS - 300);
    expect(text).not.toContain("Раздел 1");
    expect(text?.endsWith(" ")).toBe(false);
    // Generous for a loaded 2-core machine; the point is "seconds, not minutes".
    expect(elapsed).toBeLessThan(15_000);
  });

  it("does not read a page of more than MAX_ARTICLE_ELEMENTS elements, and says so quickly", () => {
    // Readability's time grows faster than the element count, on the event loop: a bounded page.
    const cells = Array.from({ length: MAX_ARTICLE_ELEMENTS }, (_, i) => `<span>${i}</span>`).join("");
    const html = newsPage(`<p>${PARAGRAPH.repeat(3)}</p><div>${cells}</div>`);
    const started = performance.now();
    expect(extractArticle(html, "https://example.kz/n").text).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5_000);
    const fewer = newsPage(`<p>${PARAGRAPH.repeat(3)}</p><div>${cells.slice(0, cells.length / 2)}</div>`);
    expect(extractArticle(fewer, "https://example.kz/n").text).toContain("Министры энергетики");
  });

  it("needs MIN_ARTICLE_CHARS of main text", () => {
    const short = "Токаев и Мирзиёев провели телефонный разговор.";
    expect(short.length).toBeLessThan(MIN_ARTICLE_CHARS);
    expect(extractArticle(newsPage(`<p>${short}</p>`), "https://example.kz/n").text).toBeUndefined();
    const { text } = extractArticle(newsPage(`<p>${PARAGRAPH.repeat(2)}</p>`), "https://example.kz/n");
    expect(text?.endsWith(PARAGRAPH.repeat(2).trim())).toBe(true);
  });
});

describe("fetchArticlePage against a local server", () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await FeedServer.start();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("reads a page with the bot's User-Agent and an HTML Accept header, after a redirect", async () => {
    server.route("/2026/visit", { file: PAGE_FILE, contentType: "text/html; charset=utf-8" });
    const short = server.route("/s/abc", { redirectTo: server.url("/2026/visit") });
    const result = await fetchArticlePage(short, { timeoutMs: 5_000 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.url).toBe(server.url("/2026/visit"));
    expect(result.text).toContain("Камбаратинской ГЭС");
    // Resolved against the final URL, not the short link.
    expect(result.image).toBe(server.url("/media/2026/12/visit-tashkent.jpg?w=1200"));
    const seen = server.lastRequest("/2026/visit");
    expect(seen?.headers["user-agent"]).toBe(USER_AGENT);
    expect(seen?.headers.accept).toMatch(/^text\/html/);
  });

  it("decodes a windows-1251 page by its <meta charset> when the header names no charset", async () => {
    const page = newsPage(`<p>${PARAGRAPH.repeat(3)}</p>`).replace(
      '<meta charset="utf-8">',
      '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    );
    const url = server.route("/cp1251", {
      body: iconv.encode(page, "windows-1251"),
      contentType: "text/html",
    });
    const result = await fetchArticlePage(url, { timeoutMs: 5_000 });
    expect(result.ok && result.text.includes("Министры энергетики Казахстана и Узбекистана")).toBe(true);
  });

  it("fails with a reason, never a throw: status, not HTML, no article, too large, timeout, bad URL", async () => {
    const cases: Array<[string, string]> = [
      [
        server.route("/gone", { status: 404, contentType: "text/html", body: "<h1>Not found</h1>" }),
        "http-status",
      ],
      [
        server.route("/pdf", { body: Buffer.from("%PDF-1.7 ..."), contentType: "application/pdf" }),
        "not-html",
      ],
      [server.route("/untyped", { body: PARAGRAPH.repeat(5), contentType: null }), "not-html"],
      [server.htmlPage("/challenge"), "no-article"],
      [server.route("/huge", { streamBytes: 50 * 1024 * 1024, contentType: "text/html" }), "too-large"],
      [server.route("/slow", { file: PAGE_FILE, contentType: "text/html", delayMs: 3_000 }), "timeout"],
      [server.redirectLoop("/loop"), "redirects"],
      ["mailto:editor@example.kz", "bad-url"],
    ];
    for (const [url, reason] of cases) {
      const result = await fetchArticlePage(url, { timeoutMs: 500, maxBytes: 1024 * 1024 });
      expect(result.ok ? "ok" : result.reason, url).toBe(reason);
    }
    // The 50 MB page was cut at the cap, not read to the end.
    expect(server.bytesSent("/huge")).toBeLessThan(10 * 1024 * 1024);
  });
});
