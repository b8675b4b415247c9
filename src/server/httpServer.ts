/**
 * The bot's HTTP surface on node:http: liveness, readiness, Prometheus metrics and, in webhook
 * mode, the endpoint Telegram posts updates to. Nothing here logs a request body, a header or
 * the webhook secret.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";
import type { Metrics } from "./metrics.js";
import { hasWebhookSecret } from "./webhook.js";

/** What /readyz reports: ready only when every check is `true`; a string says why not. */
export type ReadinessReport = { ready: boolean; checks: Record<string, boolean | string> };

/** One readiness check: `true` when fine, `false` or a short reason when not. */
export type ReadinessCheck = () => Promise<boolean | string> | boolean | string;

export type WebhookRoute = {
  /** The path Telegram posts to, e.g. `/telegram/webhook`. */
  path: string;
  /** Checked here before the handler runs, so a stranger's request never reaches the bot. */
  secret: string;
  handler: (req: IncomingMessage, res: ServerResponse) => unknown;
};

export type HttpServerOptions = {
  /** 0 picks a free port (tests); the chosen one is returned. */
  port: number;
  /** Default: every interface (`::`/`0.0.0.0`), as a container needs. */
  host?: string;
  logger: Logger;
  metrics: Pick<Metrics, "registry">;
  readiness: () => Promise<ReadinessReport>;
  webhook?: WebhookRoute;
  /** How long close() waits for requests in progress before cutting them. Default 5 s. */
  closeTimeoutMs?: number;
};

export type RunningHttpServer = {
  port: number;
  /** Stops accepting, marks the instance unready, waits for requests in progress, then closes. */
  close(): Promise<void>;
};

/** A readiness answer slower than this counts as not ready: orchestrators time out at ~1–5 s. */
const READINESS_TIMEOUT_MS = 3_000;

/**
 * Telegram's updates are a few kilobytes; anything far larger is not an update. Refused by its
 * Content-Length before the body is read.
 */
const MAX_WEBHOOK_BODY_BYTES = 1_048_576;

/**
 * Starts the server and resolves once it listens.
 * - `GET /healthz` → 200 `{"status":"ok"}` while the process runs;
 * - `GET /readyz` → 200 or 503 with `{ready, checks}`;
 * - `GET /metrics` → the registry in Prometheus text format;
 * - `POST <webhook.path>` → 401 without the right secret, else the webhook handler;
 * - a known path with another method → 405 with `Allow`; anything else → 404.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger, metrics, readiness, webhook } = options;
  let closing = false;

  const routes: Record<string, { methods: string[]; handle: Handler }> = {
    "/healthz": { methods: ["GET", "HEAD"], handle: (_req, res) => sendJson(res, 200, { status: "ok" }) },
    "/readyz": {
      methods: ["GET", "HEAD"],
      handle: async (_req, res) => {
        const report = closing
          ? { ready: false, checks: { shutdown: "stopping" } }
          : await withTimeout(readiness(), READINESS_TIMEOUT_MS).catch(
              (err: unknown): ReadinessReport => ({
                ready: false,
                checks: { readiness: err instanceof TimeoutError ? "timed out" : "check failed" },
              }),
            );
        sendJson(res, report.ready ? 200 : 503, report);
      },
    },
    "/metrics": {
      methods: ["GET", "HEAD"],
      handle: async (_req, res) => {
        const body = await metrics.registry.metrics();
        res.writeHead(200, {
          "content-type": metrics.registry.contentType,
          "content-length": Buffer.byteLength(body),
        });
        res.end(body);
      },
    },
  };
  if (webhook) {
    routes[webhook.path] = {
      methods: ["POST"],
      handle: async (req, res) => {
        if (!hasWebhookSecret(req, webhook.secret)) {
          sendText(res, 401, "unauthorized");
          return;
        }
        if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BODY_BYTES) {
          sendText(res, 413, "payload too large");
          return;
        }
        await webhook.handler(req, res);
      },
    };
  }

  // Responses in progress, so close() can tell their clients not to reuse the connection.
  const active = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const started = performance.now();
    active.add(res);
    res.once("close", () => active.delete(res));
    if (closing) res.setHeader("connection", "close");
    const path = pathOf(req.url);
    const route = routes[path];
    const method = req.method ?? "GET";
    const done = () =>
      // Only the path: a query string could carry anything a caller chose to put there.
      logger.debug(
        { method, path: route ? path : "(unknown)", status: res.statusCode, ms: elapsed(started) },
        "http request",
      );
    res.once("finish", done);
    if (!route) return sendText(res, 404, "not found");
    if (!route.methods.includes(method)) {
      res.setHeader("allow", route.methods.join(", "));
      return sendText(res, 405, "method not allowed");
    }
    Promise.resolve(route.handle(req, res)).catch((err: unknown) => {
      logger.error({ path, err }, "http handler failed");
      if (!res.headersSent) sendText(res, 500, "internal error");
      else if (!res.writableEnded) res.end();
    });
  });
  // Above a load balancer's usual 60 s idle timeout, so the balancer, not the bot, closes idle
  // connections and never sends a request on a socket the bot is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  server.listen(options.port, options.host);
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([err]) => {
      throw err;
    }),
  ]);
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, webhook: webhook !== undefined }, "http server listening");

  return {
    port,
    async close() {
      if (closing) return;
      closing = true;
      // Without this a keep-alive client holds its socket after its answer, and close() would
      // wait for the idle timeout or cut it.
      for (const res of active) if (!res.headersSent) res.setHeader("connection", "close");
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), options.closeTimeoutMs ?? 5_000);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs readiness checks in parallel and reports each: `true`, or why not (a thrown error or a
 * check slower than `timeoutMs` counts as not ready, described without its message, which may
 * quote a URL with credentials).
 */
export async function runReadinessChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, boolean | string]> => {
      try {
        return [name, await withTimeout(Promise.resolve(check()), timeoutMs)];
      } catch (err) {
        return [name, err instanceof TimeoutError ? "timed out" : "failed"];
      }
    }),
  );
  const results = Object.fromEntries(entries);
  return { ready: entries.every(([, value]) => value === true), checks: results };
}

/**
 * A readiness check for an ioredis connection: ready and answering PING. A connection that is
 * reconnecting reports its state at once rather than queueing a PING behind the outage.
 */
export function redisReadiness(redis: { status: string; ping(): Promise<string> }): ReadinessCheck {
  return async () => {
    if (redis.status !== "ready") return `redis ${redis.status}`;
    return (await redis.ping()) === "PONG";
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  return q === -1 ? raw : raw.slice(0, q);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
  });
  res.end(payload);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

class TimeoutError extends Error {
  override name = "TimeoutError";
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
