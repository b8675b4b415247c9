/**
 * REDIS_SENTINELS and the settings that go with it: Redis behind Sentinel, where the primary is
 * asked of the sentinels and REDIS_URL gives only the data nodes' user, password, db and TLS.
 * The connection itself is made in `storage/redis.ts`.
 */
import { z } from "zod";
import type { RedisSentinelSettings } from "../storage/redis.js";

/** Sentinel's own port, when an entry of REDIS_SENTINELS gives none. */
const SENTINEL_PORT = 26379;

/**
 * "host:port,host:port" → addresses (IPv6 in brackets), or which entry is not an address, by
 * position: config errors never echo values.
 */
export function parseSentinelList(value: string): Array<{ host: string; port: number }> | string {
  const entries = value
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return "(empty)";
  const addresses: Array<{ host: string; port: number }> = [];
  for (const [i, entry] of entries.entries()) {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9_.-]+))(?::(\d{1,5}))?$/.exec(entry);
    const port = Number(m?.[3] ?? SENTINEL_PORT);
    if (!m || port < 1 || port > 65535) return `entry ${i + 1}`;
    addresses.push({ host: (m[1] ?? m[2]) as string, port });
  }
  return addresses;
}

export const redisSentinels = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    const parsed = parseSentinelList(v);
    if (typeof parsed === "string") {
      ctx.addIssue({
        code: "custom",
        message: `REDIS_SENTINELS must be host:port pairs separated by commas (e.g. sentinel-1:26379,sentinel-2:26379,sentinel-3:26379); not valid: ${parsed}`,
      });
      return z.NEVER;
    }
    return parsed;
  });

export const redisSentinelName = z
  .string()
  .trim()
  .optional()
  .refine((v) => v === undefined || /^[A-Za-z0-9_.-]{1,64}$/.test(v), {
    message:
      "REDIS_SENTINEL_NAME is the primary's name in the sentinels' config (sentinel monitor <name> …), e.g. kzuz",
  });

export const redisSentinelUsername = z.string().trim().optional();
export const redisSentinelPassword = z.string().optional();

/** The settings that only mean something with REDIS_SENTINELS, for the "set without" rule. */
export const SENTINEL_ONLY_SETTINGS = [
  "redisSentinelName",
  "redisSentinelUsername",
  "redisSentinelPassword",
] as const;

export const SENTINEL_NAME_REQUIRED =
  "REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name the sentinels monitor the primary under (sentinel monitor <name> …)";

/** Sentinel mode's settings; undefined without REDIS_SENTINELS (or without its name). */
export function redisSentinelSettingsOf(s: {
  redisSentinels: Array<{ host: string; port: number }> | undefined;
  redisSentinelName: string | undefined;
  redisSentinelUsername: string | undefined;
  redisSentinelPassword: string | undefined;
  redisSentinelTls: boolean;
}): RedisSentinelSettings | undefined {
  if (!s.redisSentinels || !s.redisSentinelName) return undefined;
  return {
    sentinels: s.redisSentinels,
    name: s.redisSentinelName,
    username: s.redisSentinelUsername,
    password: s.redisSentinelPassword,
    tls: s.redisSentinelTls,
  };
}
