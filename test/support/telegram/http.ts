import type { IncomingMessage } from "node:http";
import busboy from "busboy";
import type { Json } from "./types.js";

export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export async function readParams(req: IncomingMessage): Promise<Json> {
  const type = req.headers["content-type"] ?? "";
  const query: Json = Object.fromEntries(new URL(req.url ?? "/", "http://localhost").searchParams);
  if (type.includes("multipart/form-data")) return { ...query, ...(await readMultipart(req)) };
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (body.length === 0) return query;
  if (type.includes("application/json")) return { ...query, ...(JSON.parse(body.toString("utf8")) as Json) };
  if (type.includes("application/x-www-form-urlencoded")) {
    return { ...query, ...Object.fromEntries(new URLSearchParams(body.toString("utf8"))) };
  }
  return query;
}

/** Uploads (sendPhoto with a file): fields as strings, files as Blobs, as Telegram receives them. */
function readMultipart(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    const params: Json = {};
    const parser = busboy({ headers: req.headers });
    parser.on("field", (name, value) => {
      params[name] = value;
    });
    parser.on("file", (name, stream) => {
      const parts: Buffer[] = [];
      stream.on("data", (d: Buffer) => parts.push(d));
      stream.on("end", () => {
        params[name] = new Blob([Buffer.concat(parts)]);
      });
    });
    parser.on("close", () => resolve(params));
    parser.on("error", reject);
    req.pipe(parser);
  });
}
