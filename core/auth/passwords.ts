/**
 * Password hashing with node's scrypt (no native dependency). The encoded
 * form carries its parameters — `scrypt$<logN>$<r>$<p>$<salt>$<hash>` — so
 * the cost can be raised later: hashes made with a lower cost still verify
 * and are re-hashed at the next sign-in (`needsRehash`).
 * The default is one of the equivalent minimums of OWASP's Password Storage
 * Cheat Sheet: N=2^15, r=8, p=3 — the work of N=2^17, p=1 with a quarter of
 * the memory (32 MiB), so that parallel sign-ins do not exhaust a small server.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { FieldError } from '../shared/errors.ts';

export interface PasswordCost {
  /** log2 of scrypt's N (CPU/memory cost) */
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_PASSWORD_COST: PasswordCost = { logN: 15, r: 8, p: 3 };
export const MIN_PASSWORD_LENGTH = 8;
/** Long enough for pass phrases; bounded so a huge body cannot burn CPU. */
export const MAX_PASSWORD_LENGTH = 256;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scrypt(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** cost.logN, r: cost.r, p: cost.p, maxmem: 256 * 2 ** cost.logN * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: PasswordCost = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.logN, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  cost: PasswordCost;
  salt: Buffer;
  key: Buffer;
}

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every(Number.isInteger) || logN < 1 || logN > 22 || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  return { cost: { logN, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

/** Constant-time check; a malformed stored hash never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await scrypt(password, parsed.salt, parsed.cost);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

export function needsRehash(encoded: string, cost: PasswordCost): boolean {
  const parsed = parseHash(encoded);
  return !parsed || parsed.cost.logN < cost.logN || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

/** Why a new password is refused (NIST 800-63B: length, not composition rules). Pure. */
export function passwordProblems(password: unknown, context: { email?: string } = {}): FieldError[] {
  if (typeof password !== 'string') return [{ path: '/password', message: 'must be a string' }];
  if ([...password].length < MIN_PASSWORD_LENGTH) return [{ path: '/password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters long` }];
  if (password.length > MAX_PASSWORD_LENGTH) return [{ path: '/password', message: `must be at most ${MAX_PASSWORD_LENGTH} characters long` }];
  if (context.email && password.trim().toLowerCase() === context.email.toLowerCase()) return [{ path: '/password', message: 'must not be the e-mail address' }];
  return [];
}
