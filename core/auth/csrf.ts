/**
 * Cross-site request forgery defence for cookie-authenticated writes, in layers:
 * - the session cookie is `SameSite=Lax`: browsers do not attach it to another site's
 *   POST, PATCH or DELETE at all;
 * - a request a browser marks as coming from elsewhere (`Sec-Fetch-Site: cross-site` or
 *   `same-site`, or an `Origin` other than this server's) is refused unless it proves the
 *   session's CSRF token (`X-CSRF-Token`, which the UI always sends);
 * - a token that is sent must be the right one.
 * What remains (a same-origin page, or a client that is not a browser) may write with the
 * cookie alone, as the API contract says every call accepts the cookie.
 */
import type { Context } from 'hono';
import { lastForwarded } from './client.ts';
import { CSRF_HEADER } from './cookies.ts';
import { isSameSecret } from './secrets.ts';

export type CsrfVerdict = { isAllowed: true } | { isAllowed: false; reason: string };

/** This server's host as the browser addressed it (the request URL is built from Host). */
function ownHost(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? lastForwarded(c.req.header('x-forwarded-host')) : undefined;
  return (forwarded ?? new URL(c.req.url).host).toLowerCase();
}

/** Whether the request comes from another site, judging from the headers browsers set. */
function crossSiteReason(c: Context, trustProxy: boolean): string | undefined {
  const site = c.req.header('sec-fetch-site')?.toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return `the browser marks it as ${site}`;
  const origin = c.req.header('origin');
  if (origin === undefined) return undefined;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return 'its Origin is not a URL';
  }
  return host === ownHost(c, trustProxy) ? undefined : `it comes from ${origin}`;
}

export function checkCsrf(c: Context, sessionToken: string | undefined, trustProxy: boolean): CsrfVerdict {
  const proof = c.req.header(CSRF_HEADER);
  if (proof !== undefined) {
    return sessionToken && isSameSecret(proof, sessionToken) ? { isAllowed: true } : { isAllowed: false, reason: `the ${CSRF_HEADER} header does not match the session` };
  }
  const reason = crossSiteReason(c, trustProxy);
  return reason === undefined ? { isAllowed: true } : { isAllowed: false, reason: `it carries no ${CSRF_HEADER} header and ${reason}` };
}
