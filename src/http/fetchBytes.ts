/**
 * The project's one HTTP client for outside sources (feeds, NBK, CBU): a GET with a hard deadline,
 * a body-size cap enforced while streaming (a 50 MB answer is cut at the cap, not buffered), a
 * bounded number of redirects, and the response bytes left undecoded so the caller can pick
 * the charset.
 */

export const USER_AGENT = "kzuz-news-bot/0.1 (+https://github.com/kzuz-news-bot; Telegram news bot)";

export type FetchFailureKind = "timeout" | "too-large" | "network" | "redirects";

export class FetchFailure extends Error {
  constructor(
    readonly kind: FetchFailureKind,
    message: string,
  ) {
    super(message);
    this.name = "FetchFailure";
  }
}

export type FetchBytesOptions = {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  headers?: Record<string, string>;
  /** Aborts from outside (e.g. shutdown). */
  signal?: AbortSignal;
};

export type FetchedBytes = {
  status: number;
  /** The final URL after redirects. */
  url: string;
  headers: Headers;
  body: Buffer;
};

/**
 * GETs a URL. Resolves for any HTTP status (the caller judges 304, 403 or 500); rejects only
 * with FetchFailure, whose `kind` says what went wrong.
 */
export async function fetchBytes(url: string, options: FetchBytesOptions): Promise<FetchedBytes> {
  const maxRedirects = options.maxRedirects ?? 5;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const headers = { "user-agent": USER_AGENT, ...options.headers };

  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      const response = await fetch(current, { headers, redirect: "manual", signal });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
        await response.body?.cancel();
        if (hop >= maxRedirects) {
          throw new FetchFailure("redirects", `more than ${maxRedirects} redirects (last to ${location})`);
        }
        current = new URL(location, current).toString();
        continue;
      }
      const body = await readCapped(response, options.maxBytes);
      return { status: response.status, url: current, headers: response.headers, body };
    }
  } catch (err) {
    if (err instanceof FetchFailure) throw err;
    if (deadline.aborted)
      throw new FetchFailure("timeout", `no complete answer within ${options.timeoutMs} ms`);
    if (options.signal?.aborted) throw new FetchFailure("network", "request aborted");
    const cause =
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new FetchFailure("network", cause);
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new FetchFailure("too-large", `body of ${declared} bytes is over the ${maxBytes}-byte cap`);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early cancels the stream, so the rest of an oversized body is never read.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) break;
    chunks.push(Buffer.from(chunk));
  }
  if (total > maxBytes) throw new FetchFailure("too-large", `body is over the ${maxBytes}-byte cap`);
  return Buffer.concat(chunks);
}
