/**
 * Reading a JSON request body: the right media type, a size limit, and JSON
 * that parses — each failure a clear 4xx, never a 500.
 */
import type { Context } from 'hono';
import { AppError, badRequest } from '../shared/errors.ts';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function readJsonBody(c: Context, maxBytes = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(merge-patch\+)?json\b/i.test(type)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON (Content-Type: application/json)');
  }
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBytes} bytes`);
  const buffer = await c.req.arrayBuffer();
  if (buffer.byteLength > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBytes} bytes`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
  if (text.trim() === '') throw badRequest('The request body is empty; a JSON document is required');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
}

/** A version no record ever has (versions start at 1): an If-Match that can never match. */
export const UNMATCHABLE_VERSION = 0;

/**
 * If-Match (RFC 9110 §13.1.1) against our strong ETags `"<version>"`:
 * - absent or `*` → undefined (no precondition; `*` means "it exists", which
 *   the operation checks anyway, answering 404 when it does not);
 * - `"3"` → 3 (a bare `3` is accepted too, as integrators often send it);
 * - a weak tag `W/"3"` never matches under the strong comparison If-Match
 *   requires, so it is answered like a stale tag (409).
 * A list names the versions the caller accepts; we take one, so a list of
 * several strong tags is a 400 rather than a guess.
 */
export function readIfMatch(c: Context): number | undefined {
  const raw = c.req.header('if-match');
  if (raw === undefined || raw.trim() === '*') return undefined;
  const tags = raw.split(',').map((tag) => tag.trim()).filter(Boolean);
  if (tags.length === 0) throw badRequest('If-Match must be an ETag from a previous response, e.g. "3"', [{ path: '/If-Match', message: 'is empty' }]);
  const strong: number[] = [];
  for (const tag of tags) {
    const match = /^(W\/)?("?)(\d{1,15})\2$/.exec(tag);
    if (!match) throw badRequest('If-Match must be an ETag from a previous response, e.g. "3"', [{ path: '/If-Match', message: 'is not an entity tag' }]);
    if (!match[1]) strong.push(Number(match[3]));
  }
  if (strong.length > 1) throw badRequest('If-Match must name one ETag', [{ path: '/If-Match', message: 'must name one version' }]);
  return strong[0] ?? UNMATCHABLE_VERSION;
}

export function etag(version: unknown): string {
  return `"${String(version)}"`;
}
