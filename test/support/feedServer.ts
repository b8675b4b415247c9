import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";

/** Where fixture feeds live; `file` paths in a route are relative to it. */
export const FEED_FIXTURES_DIR = fileURLToPath(new URL("../fixtures/feeds/", import.meta.url));

/** What the server answers at one path. Everything is prepared when the route is set. */
export type FeedRoute = {
  /** HTTP status; default 200 (302 with `redirectTo`). */
  status?: number;
  /** The body; a string is encoded with `encoding` (default UTF-8). */
  body?: string | Buffer;
  /** A fixture file (relative to test/fixtures/feeds) to serve as the body, byte for byte. */
  file?: string;
  /** Encode a string body (or a UTF-8 fixture file) in this charset, e.g. "windows-1251". */
  encoding?: string;
  /** Content-Type; default `application/rss+xml`, plus `; charset=` for string bodies. `null` sends none. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Sent as ETag; a matching If-None-Match gets a 304. */
  etag?: string;
  /** Sent as Last-Modified (an HTTP date); an If-Modified-Since not older gets a 304. */
  lastModified?: string;
  /** Wait this long before answering (a slow feed). */
  delayMs?: number;
  /** Stream a body of this many bytes instead (an endless feed); memory use stays flat. */
  streamBytes?: number;
  /** With `streamBytes`: also send Content-Length (default: chunked, so only the cap can stop it). */
  declareLength?: boolean;
  /** Redirect to this path or URL. A path redirecting to itself is an endless loop. */
  redirectTo?: string;
};

type PreparedRoute = FeedRoute & { bytes: Buffer; type: string | null };

/** What the server saw of the last request at a path. */
export type SeenRequest = { method: string; url: string; headers: IncomingHttpHeaders };

const STREAM_CHUNK = Buffer.from(
  "<item><title>Filler</title><link>https://example.test/filler</link></item>\n".repeat(800),
);
const STREAM_HEAD = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>\n');

/**
 * A local HTTP server for feed tests and benchmarks, on 127.0.0.1 and a free port: serves fixture
 * files or strings with any status, headers and charset; honours ETag/Last-Modified with 304s;
 * can be slow, endless, a redirect loop, a 403 or an HTML page; counts requests and bytes sent
 * per path. Routes are matched on the path without the query.
 */
export class FeedServer {
  private readonly routes = new Map<string, PreparedRoute>();
  private readonly counts = new Map<string, number>();
  private readonly sent = new Map<string, number>();
  private readonly seen = new Map<string, SeenRequest>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  /** Starts a server; call close() when done. */
  static async start(): Promise<FeedServer> {
    let instance: FeedServer | undefined;
    const server = createServer((req, res) =>
      instance?.handle(req.method ?? "GET", req.url ?? "/", req.headers, res),
    );
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    instance = new FeedServer(server, `http://127.0.0.1:${port}`);
    return instance;
  }

  /** The absolute URL of a path on this server. */
  url(path: string): string {
    return `${this.baseUrl}${path.startsWith("/") ? path : `/${path}`}`;
  }

  /** Sets (or replaces) what a path answers; returns its URL. */
  route(path: string, route: FeedRoute): string {
    this.routes.set(normalisePath(path), prepare(route));
    return this.url(path);
  }

  /** A fixture file served as a feed. */
  feed(path: string, file: string, route: Omit<FeedRoute, "file" | "body"> = {}): string {
    return this.route(path, { ...route, file });
  }

  /** An HTML page, as a site that blocks bots or a wrong URL would send. */
  htmlPage(path: string, title = "Just a moment..."): string {
    return this.route(path, {
      contentType: "text/html; charset=utf-8",
      body: `<!DOCTYPE html>\n<html lang="en"><head><title>${title}</title></head><body><p>Checking your browser</p></body></html>`,
    });
  }

  /** A 403, as sites that block bots or whole networks answer. */
  forbidden(path: string): string {
    return this.route(path, {
      status: 403,
      contentType: "text/html; charset=utf-8",
      body: "<h1>403 Forbidden</h1>",
    });
  }

  /** A path that redirects to itself forever. */
  redirectLoop(path: string): string {
    return this.route(path, { redirectTo: path });
  }

  /** How many requests reached a path. */
  requestCount(path: string): number {
    return this.counts.get(normalisePath(path)) ?? 0;
  }

  /** Body bytes written to a path's clients so far. */
  bytesSent(path: string): number {
    return this.sent.get(normalisePath(path)) ?? 0;
  }

  /** The last request to a path, for checking headers. */
  lastRequest(path: string): SeenRequest | undefined {
    return this.seen.get(normalisePath(path));
  }

  /** Forgets counters (routes stay). */
  resetCounters(): void {
    this.counts.clear();
    this.sent.clear();
    this.seen.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(method: string, url: string, headers: IncomingHttpHeaders, res: ServerResponse): void {
    const path = normalisePath(url);
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
    this.seen.set(path, { method, url, headers });
    const route = this.routes.get(path);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("no such route");
      return;
    }
    if (route.delayMs) {
      const timer = setTimeout(() => this.answer(path, route, headers, res), route.delayMs);
      res.on("close", () => clearTimeout(timer));
    } else {
      this.answer(path, route, headers, res);
    }
  }

  private answer(
    path: string,
    route: PreparedRoute,
    headers: IncomingHttpHeaders,
    res: ServerResponse,
  ): void {
    if (res.destroyed) return;
    const out: Record<string, string> = { ...route.headers };
    if (route.etag) out.etag = route.etag;
    if (route.lastModified) out["last-modified"] = route.lastModified;

    if (route.redirectTo !== undefined) {
      const hop = (this.counts.get(path) ?? 0).toString();
      // A query that changes on every hop, so a loop is not a plain self-redirect.
      const target = route.redirectTo.startsWith("/") ? `${route.redirectTo}?hop=${hop}` : route.redirectTo;
      res.writeHead(route.status ?? 302, { ...out, location: target }).end();
      return;
    }
    if (isNotModified(route, headers)) {
      res.writeHead(304, out).end();
      return;
    }
    if (route.type) out["content-type"] = route.type;

    if (route.streamBytes !== undefined) {
      if (route.declareLength) out["content-length"] = String(route.streamBytes);
      res.writeHead(route.status ?? 200, out);
      this.stream(path, route.streamBytes, res);
      return;
    }
    out["content-length"] = String(route.bytes.length);
    res.writeHead(route.status ?? 200, out);
    this.sent.set(path, (this.sent.get(path) ?? 0) + route.bytes.length);
    res.end(route.bytes);
  }

  private stream(path: string, total: number, res: ServerResponse): void {
    let written = 0;
    const count = (n: number) => {
      written += n;
      this.sent.set(path, (this.sent.get(path) ?? 0) + n);
    };
    const pump = () => {
      while (written < total && !res.destroyed) {
        const chunk = written === 0 ? STREAM_HEAD : STREAM_CHUNK;
        const slice = chunk.subarray(0, Math.min(chunk.length, total - written));
        count(slice.length);
        if (!res.write(slice)) {
          res.once("drain", pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    res.on("error", () => {});
    pump();
  }
}

function prepare(route: FeedRoute): PreparedRoute {
  let bytes: Buffer;
  let charset: string | undefined;
  if (route.file !== undefined) {
    const path = isAbsolute(route.file) ? route.file : join(FEED_FIXTURES_DIR, route.file);
    bytes = readFileSync(path);
    if (route.encoding) {
      bytes = iconv.encode(bytes.toString("utf8"), route.encoding);
      charset = route.encoding;
    }
  } else if (typeof route.body === "string") {
    charset = route.encoding ?? "utf-8";
    bytes = iconv.encode(route.body, charset);
  } else {
    bytes = route.body ?? Buffer.alloc(0);
  }
  const type =
    route.contentType === null
      ? null
      : (route.contentType ?? `application/rss+xml${charset ? `; charset=${charset}` : ""}`);
  return { ...route, bytes, type };
}

function isNotModified(route: FeedRoute, headers: IncomingHttpHeaders): boolean {
  const ifNoneMatch = headers["if-none-match"];
  if (route.etag && ifNoneMatch) {
    const wanted = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
    return wanted.includes(route.etag.replace(/^W\//, "")) || wanted.includes("*");
  }
  const ifModifiedSince = headers["if-modified-since"];
  if (route.lastModified && ifModifiedSince) {
    const since = Date.parse(ifModifiedSince);
    const modified = Date.parse(route.lastModified);
    return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
  }
  return false;
}

function normalisePath(url: string): string {
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  return path.startsWith("/") ? path : `/${path}`;
}
