import { gunzipSync } from "node:zlib";
import { errorText } from "../errorText.js";
import { FetchFailure, fetchBytes } from "../http/fetchBytes.js";
import { decodeBody } from "./decode.js";
import { type DroppedItem, distinctItems, type RenamedItem } from "./distinctItems.js";
import { checkFeed, type FeedFormat, sanitiseXml } from "./feedCheck.js";
import type { ItemSource } from "./normalise.js";
import { parseFeed } from "./parseFeed.js";
import type { FeedConfig, NormalisedItem } from "./types.js";

/** The validators a server gave for conditional GET; kept per feed between polls. */
export type FeedCache = { etag?: string; lastModified?: string };

export type FeedFetchOptions = {
  /** Whole-request deadline; default 15 s. */
  timeoutMs?: number;
  /** Body cap; a bigger answer is cut while streaming and fails. Default 5 MB. */
  maxBytes?: number;
  /** The poll's clock: the first-seen time of items without a trustworthy date. */
  now: Date;
  signal?: AbortSignal;
};

export type FeedFetchResult =
  | { kind: "not-modified" }
  | {
      kind: "ok";
      items: NormalisedItem[];
      cache: FeedCache;
      encoding: string;
      format: FeedFormat;
      /** What was repaired or guessed on the way (charset fallback, stray '&', ...); for logs. */
      warnings?: string[];
      /** Items of the document that were not passed on, each with its reason. */
      dropped?: DroppedItem[];
      /** Items that shared an id with another item of the document and were kept under a new one. */
      renamed?: RenamedItem[];
    }
  | { kind: "failed"; reason: string; retryable: boolean; status?: number };

export const DEFAULT_FEED_TIMEOUT_MS = 15_000;
export const DEFAULT_FEED_MAX_BYTES = 5 * 1024 * 1024;
/** Some servers answer an HTML page to clients that do not say they want a feed. */
export const FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8";

/**
 * Fetches one feed and returns its items, normalised. Sends the feed Accept header and the
 * cached validators; a 304 returns `not-modified` without reading anything. Every failure
 * (HTTP status, timeout, oversized body, redirect loop, HTML instead of a feed, broken XML) is
 * returned as `failed` with a reason a person can act on and whether trying again later may
 * help. Never throws; safe to call concurrently.
 */
export async function fetchFeed(
  feed: FeedConfig,
  cache: FeedCache,
  options: FeedFetchOptions,
): Promise<FeedFetchResult> {
  try {
    return await fetchAndRead(feed, cache, options);
  } catch (err) {
    // Unreachable by design; kept so one odd feed can never stop a poll cycle.
    return { kind: "failed", reason: `unexpected error: ${errorText(err)}`, retryable: true };
  }
}

async function fetchAndRead(
  feed: FeedConfig,
  cache: FeedCache,
  options: FeedFetchOptions,
): Promise<FeedFetchResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FEED_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_FEED_MAX_BYTES;
  const headers: Record<string, string> = { accept: FEED_ACCEPT };
  if (cache.etag) headers["if-none-match"] = cache.etag;
  if (cache.lastModified) headers["if-modified-since"] = cache.lastModified;

  let response: Awaited<ReturnType<typeof fetchBytes>>;
  try {
    response = await fetchBytes(feed.url, { timeoutMs, maxBytes, headers, signal: options.signal });
  } catch (err) {
    if (options.signal?.aborted) {
      return {
        kind: "failed",
        reason: "the fetch was cancelled by the caller (shutdown or the cycle's deadline)",
        retryable: true,
      };
    }
    return transportFailure(err, maxBytes);
  }

  const { status } = response;
  if (status === 304) return { kind: "not-modified" };
  if (status < 200 || status >= 300) return statusFailure(status);

  const read = await readFeedBody(feed, response.body, response.headers.get("content-type"), options.now);
  if (!read.ok) return { kind: "failed", reason: read.reason, retryable: read.retryable, status };

  const nextCache: FeedCache = {};
  const etag = response.headers.get("etag");
  const lastModified = response.headers.get("last-modified");
  if (etag) nextCache.etag = etag;
  if (lastModified) nextCache.lastModified = lastModified;
  const result: FeedFetchResult = {
    kind: "ok",
    items: read.items,
    cache: nextCache,
    encoding: read.encoding,
    format: read.format,
  };
  if (read.warnings.length > 0) result.warnings = read.warnings;
  if (read.dropped.length > 0) result.dropped = read.dropped;
  if (read.renamed.length > 0) result.renamed = read.renamed;
  return result;
}

export type FeedBodyResult =
  | {
      ok: true;
      items: NormalisedItem[];
      dropped: DroppedItem[];
      renamed: RenamedItem[];
      encoding: string;
      format: FeedFormat;
      warnings: string[];
    }
  | { ok: false; reason: string; retryable: boolean };

/**
 * The pipeline after the network: decode → check → sanitise → parse → normalise, for a body
 * already in hand (the CLI preview and benchmarks use it on files). Never throws.
 */
export async function readFeedBody(
  feed: ItemSource,
  body: Buffer,
  contentType: string | null,
  now: Date,
): Promise<FeedBodyResult> {
  const unpacked = gunzipIfCompressed(body);
  if (!unpacked.ok) return { ok: false, reason: unpacked.reason, retryable: false };
  const decoded = decodeBody(unpacked.bytes, contentType);
  const check = checkFeed(decoded.text);
  if (!check.ok) return { ok: false, reason: check.reason, retryable: false };

  const sanitised = sanitiseXml(decoded.text);
  const parsed = await parseFeed(sanitised.text, check.format);
  // A cut-off or broken document is often a transient server fault (Kun.uz's Russian feed).
  if (!parsed.ok) return { ok: false, reason: parsed.reason, retryable: true };

  const { items, dropped, renamed } = distinctItems(parsed.items, feed, now);
  const warnings = [...unpacked.warnings, ...sanitised.repairs, ...parsed.warnings];
  if (decoded.fallbackReason) warnings.unshift(decoded.fallbackReason);
  if (renamed.length > 0)
    warnings.push(`${renamed.length} item(s) shared an id with another item: kept under new ids`);
  return { ok: true, items, dropped, renamed, encoding: decoded.encoding, format: check.format, warnings };
}

/**
 * Some servers (and saved captures) send a gzip file as the body without Content-Encoding: the
 * magic bytes 1F 8B tell. Decompressed with the same cap as a body, so a gzip bomb cannot grow.
 */
function gunzipIfCompressed(
  body: Buffer,
): { ok: true; bytes: Buffer; warnings: string[] } | { ok: false; reason: string } {
  if (body[0] !== 0x1f || body[1] !== 0x8b) return { ok: true, bytes: body, warnings: [] };
  try {
    const bytes = gunzipSync(body, { maxOutputLength: DEFAULT_FEED_MAX_BYTES });
    return { ok: true, bytes, warnings: ["the body was gzip-compressed without saying so: decompressed"] };
  } catch (err) {
    return {
      ok: false,
      reason: `the body is gzip-compressed but could not be decompressed (${errorText(err)})`,
    };
  }
}

function transportFailure(err: unknown, maxBytes: number): FeedFetchResult {
  if (!(err instanceof FetchFailure)) {
    return { kind: "failed", reason: `request failed: ${errorText(err)}`, retryable: true };
  }
  switch (err.kind) {
    case "timeout":
      return {
        kind: "failed",
        reason: `the server did not answer in time (${err.message})`,
        retryable: true,
      };
    case "too-large":
      return {
        kind: "failed",
        reason: `the feed is larger than the ${formatBytes(maxBytes)} limit (${err.message}): it is not a normal news feed`,
        retryable: false,
      };
    case "redirects":
      return {
        kind: "failed",
        reason: `the server redirects in a loop or too many times (${err.message}): update the feed URL`,
        retryable: false,
      };
    case "network":
      return { kind: "failed", reason: `could not reach the server (${err.message})`, retryable: true };
  }
}

function statusFailure(status: number): FeedFetchResult {
  if (status === 403 || status === 401) {
    return {
      kind: "failed",
      status,
      retryable: false,
      reason: `the site refused the bot (HTTP ${status}): it may block automated clients or this network; check the URL in a browser from the server`,
    };
  }
  if (status === 404 || status === 410) {
    return {
      kind: "failed",
      status,
      retryable: false,
      reason: `the feed is not there (HTTP ${status}): it may have moved; find the new feed URL on the site`,
    };
  }
  if (status === 429) {
    return {
      kind: "failed",
      status,
      retryable: true,
      reason: "the site is rate-limiting the bot (HTTP 429): poll it less often",
    };
  }
  if (status >= 500) {
    return {
      kind: "failed",
      status,
      retryable: true,
      reason: `the site has a server error (HTTP ${status})`,
    };
  }
  if (status >= 300 && status < 400) {
    return {
      kind: "failed",
      status,
      retryable: false,
      reason: `the server answered a redirect (HTTP ${status}) without saying where to`,
    };
  }
  return { kind: "failed", status, retryable: false, reason: `the server answered HTTP ${status}` };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes} bytes`;
}
