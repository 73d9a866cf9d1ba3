/**
 * The session cookie (HttpOnly: scripts cannot read it) and the CSRF cookie
 * (readable by the UI's scripts, which echo it in `X-CSRF-Token`). Both
 * SameSite=Lax, Path=/, and Secure whenever the request came over HTTPS.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isSecureRequest } from './client.ts';
import type { SessionDocument } from './sessions.ts';

export const SESSION_COOKIE = 'relata_session';
export const CSRF_COOKIE = 'relata_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function setSessionCookies(c: Context, input: { token: string; session: SessionDocument; trustProxy: boolean }): void {
  const secure = isSecureRequest(c, input.trustProxy);
  const maxAge = Math.max(0, Math.floor((input.session.expiresAt.getTime() - Date.now()) / 1000));
  setCookie(c, SESSION_COOKIE, input.token, { httpOnly: true, sameSite: 'Lax', path: '/', secure, maxAge });
  setCookie(c, CSRF_COOKIE, input.session.csrfToken, { httpOnly: false, sameSite: 'Lax', path: '/', secure, maxAge });
}

export function clearSessionCookies(c: Context, trustProxy: boolean): void {
  const secure = isSecureRequest(c, trustProxy);
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure });
  deleteCookie(c, CSRF_COOKIE, { path: '/', secure });
}

export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}
