import { errorText } from "../errorText.js";
import { FetchFailure, fetchBytes } from "../http/fetchBytes.js";
import { isoToDotted } from "./dates.js";
import { type NbkParseResult, parseNbkRates } from "./parseNbk.js";

/** A parsed answer, or `failed` when no usable answer arrived; `retryable` says whether trying again may help. */
export type NbkFetchResult = NbkParseResult | { kind: "failed"; reason: string; retryable: boolean };

export type NbkFetchOptions = {
  /** Hard deadline for the whole request, body included. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** NBK's answer is ~12 KB; anything near the cap is not the rates page. */
  maxBytes?: number;
};

/** The request URL for one date: `{baseUrl}?fdate=DD.MM.YYYY`. */
export function nbkRatesUrl(baseUrl: string, isoDate: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set("fdate", isoToDotted(isoDate));
  return url.toString();
}

/**
 * Fetches and parses NBK's official rates for one ISO date. Never throws: network trouble,
 * timeouts and 5xx/429 come back as `failed` with `retryable: true`; other HTTP errors and
 * oversized or undecodable bodies as `failed` with `retryable: false`.
 */
export async function fetchNbkRates(
  baseUrl: string,
  isoDate: string,
  options: NbkFetchOptions,
): Promise<NbkFetchResult> {
  let url: string;
  try {
    url = nbkRatesUrl(baseUrl, isoDate);
  } catch (err) {
    return { kind: "failed", reason: `bad request: ${errorText(err)}`, retryable: false };
  }
  let response: Awaited<ReturnType<typeof fetchBytes>>;
  try {
    response = await fetchBytes(url, {
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes ?? 1_000_000,
      headers: { accept: "application/xml, text/xml;q=0.9, */*;q=0.5" },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof FetchFailure) {
      return { kind: "failed", reason: `${err.kind}: ${err.message}`, retryable: err.kind !== "too-large" };
    }
    return { kind: "failed", reason: `unexpected: ${String(err)}`, retryable: true };
  }

  if (response.status !== 200) {
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    return { kind: "failed", reason: `HTTP ${response.status}`, retryable };
  }
  let text: string;
  try {
    // NBK declares and sends UTF-8 (SOURCES.md); TextDecoder also drops a leading BOM.
    text = new TextDecoder("utf-8", { fatal: true }).decode(response.body);
  } catch {
    return { kind: "invalid", reason: "body is not valid UTF-8" };
  }
  return parseNbkRates(text, isoDate);
}
