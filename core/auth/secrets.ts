/**
 * High-entropy bearer secrets and the one-way form they are stored in.
 * A secret carries a recognizable prefix (`rls_` sessions, `rlt_` API
 * tokens) so that leaked ones are easy to spot by secret scanners and so that
 * the middleware knows where to look it up.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_PREFIX = 'rls_';
export const API_TOKEN_PREFIX = 'rlt_';

/** 256 random bits, base64url, behind the prefix. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 is enough for 256-bit random secrets (no dictionary to attack);
 * only the digest is stored, so a database leak yields no usable token.
 */
export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time string comparison (lengths may differ; that much is not secret). */
export function isSameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A readable random password for the first administrator (~120 bits). */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url').replace(/[-_]/g, 'x');
}
