import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for NBK's get_rates.cfm: answers `?fdate=DD.MM.YYYY` in NBK's real XML shape
 * (root <rates>, <date>, one <item> per currency with <quant>). Rates are a deterministic function
 * of the date, so any day asked has an answer; weekends answer with Friday's rates, as NBK
 * sometimes does. `mode` switches to failures.
 */
export type NbkMode = "normal" | "down" | "html" | "empty";

export class NbkServer {
  mode: NbkMode = "normal";
  requests = 0;
  private server: Server | undefined;

  static async start(): Promise<NbkServer> {
    const nbk = new NbkServer();
    const server = createServer((req, res) => {
      nbk.requests++;
      const url = new URL(req.url ?? "/", "http://localhost");
      const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(url.searchParams.get("fdate") ?? "");
      if (nbk.mode === "down") {
        res.writeHead(503).end("Service Unavailable");
        return;
      }
      if (nbk.mode === "html") {
        res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Maintenance</body></html>");
        return;
      }
      if (!match) {
        res.writeHead(400).end("bad fdate");
        return;
      }
      const iso = `${match[3]}-${match[2]}-${match[1]}`;
      res.writeHead(200, { "content-type": "text/xml; charset=UTF-8" });
      res.end(
        nbk.mode === "empty" ? nbkXml(iso, undefined) : nbkXml(businessDay(iso), ratesOn(businessDay(iso))),
      );
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    nbk.server = server;
    return nbk;
  }

  /** The value for NBK_RATES_URL. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error("NBK stand-in: not started");
    return `http://127.0.0.1:${address.port}/rss/get_rates.cfm`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** Saturday and Sunday carry Friday's rates. */
export function businessDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  const day = d.getUTCDay();
  if (day === 6) d.setUTCDate(d.getUTCDate() - 1);
  if (day === 0) d.setUTCDate(d.getUTCDate() - 2);
  return d.toISOString().slice(0, 10);
}

/** KZT per `quant` units on a date: a gentle, deterministic wobble around realistic levels. */
export function ratesOn(iso: string): Record<string, { value: number; quant: number }> {
  const day = Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
  const wobble = (base: number, phase: number) =>
    Math.round(base * (1 + 0.01 * Math.sin(day / 3 + phase)) * 100) / 100;
  return {
    USD: { value: wobble(480, 0), quant: 1 },
    EUR: { value: wobble(550, 1), quant: 1 },
    RUB: { value: wobble(5.9, 2), quant: 1 },
    CNY: { value: wobble(69, 3), quant: 1 },
    UZS: { value: wobble(3.95, 4), quant: 100 },
    KRW: { value: wobble(33, 5), quant: 100 },
  };
}

export function nbkXml(
  iso: string,
  rates: Record<string, { value: number; quant: number }> | undefined,
): string {
  const [y, m, d] = iso.split("-");
  const items = Object.entries(rates ?? {})
    .map(
      ([code, { value, quant }]) => `
            <item>
            <fullname>${code}</fullname>
            <title>${code}</title>
            <description>${value.toFixed(2)}</description>
            <quant>${quant}</quant>
            <index></index>
            <change>0.00</change>
            </item>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?>
<rates>
    <generator>Alternate RSS Builder</generator>
    <title>Official exchange rates of National Bank of Republic Kazakhstan</title>
    <link>www.nationalbank.kz</link>
    <description>Official exchange rates of National Bank of Republic Kazakhstan</description>
    <copyright>www.nationalbank.kz</copyright>
    <date>${d}.${m}.${y}</date>
${items}
</rates>`;
}
