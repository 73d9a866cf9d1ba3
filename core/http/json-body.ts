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

/** `If-Match: "3"` (or W/"3") → 3; absent or `*` → undefined. */
export function readIfMatch(c: Context): number | undefined {
  const raw = c.req.header('if-match');
  if (raw === undefined || raw.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(raw);
  if (!match) throw badRequest('If-Match must be an ETag from a previous response, e.g. "3"');
  return Number(match[1]);
}

export function etag(version: unknown): string {
  return `"${String(version)}"`;
}
