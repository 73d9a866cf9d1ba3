/**
 * What the server knows of the client: its address and whether it came over
 * HTTPS. Forwarded headers are believed only with RELATA_TRUST_PROXY, and then
 * only the entry the proxy itself added (the right-most), which a client
 * cannot forge.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export function lastForwarded(value: string | undefined): string | undefined {
  const last = value?.split(',').pop()?.trim();
  return last ? last : undefined;
}

export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = lastForwarded(c.req.header('x-forwarded-for'));
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // No socket (requests made in-process, e.g. `app.request` in tests).
    return 'unknown';
  }
}

export function isSecureRequest(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && lastForwarded(c.req.header('x-forwarded-proto'))?.toLowerCase() === 'https';
}
