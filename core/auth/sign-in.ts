/**
 * Sign-in with e-mail and password: throttle → look up → verify → session.
 * An unknown e-mail, an inactive user, a user without a password and a wrong
 * password all take the same path (a full scrypt verification, the same
 * queries) and answer the same error, so neither the answer nor its timing
 * tells which accounts exist.
 */
import { ObjectId } from 'mongodb';
import { badRequest, unauthenticated } from '../shared/errors.ts';
import { passwordHashOf, storePasswordHash } from './credentials.ts';
import type { AuthDeps } from './deps.ts';
import { rateLimited, type ThrottleKey } from './login-throttle.ts';
import { MAX_PASSWORD_LENGTH, hashPassword, needsRehash, verifyPassword, type PasswordCost } from './passwords.ts';
import { createSession, type SessionDocument } from './sessions.ts';
import { findUserByEmail, isActive, normalizeEmail, type UserRecord } from './users.ts';

export interface SignInResult {
  token: string;
  session: SessionDocument;
  user: UserRecord;
}

const dummyHashes = new Map<string, Promise<string>>();

/** A real hash of a random password, verified when there is no user, so both paths cost the same. */
export function dummyHash(cost: PasswordCost): Promise<string> {
  const key = `${cost.logN}/${cost.r}/${cost.p}`;
  let hit = dummyHashes.get(key);
  if (!hit) dummyHashes.set(key, (hit = hashPassword(new ObjectId().toHexString(), cost)));
  return hit;
}

export async function signIn(input: { deps: AuthDeps; body: unknown; ip: string; userAgent: string; requestId: string }): Promise<SignInResult> {
  const { deps } = input;
  const body = (typeof input.body === 'object' && input.body !== null ? input.body : {}) as { email?: unknown; password?: unknown };
  if (typeof body.email !== 'string' || body.email.length > 254 || typeof body.password !== 'string' || body.password.length > MAX_PASSWORD_LENGTH) {
    throw badRequest('The body must be { "email": "…", "password": "…" }', [
      ...(typeof body.email !== 'string' ? [{ path: '/email', message: 'is required' }] : []),
      ...(typeof body.password !== 'string' ? [{ path: '/password', message: 'is required' }] : []),
    ]);
  }
  const email = normalizeEmail(body.email);
  const ipKey: ThrottleKey = { id: `ip:${input.ip}`, policy: deps.options.throttle.ip };
  const accountKey: ThrottleKey = { id: `account:${email}`, policy: deps.options.throttle.account };
  const audit = { email, ip: input.ip, requestId: input.requestId };

  const refusal = await deps.throttle.charge([ipKey, accountKey]);
  if (refusal) {
    if (refusal.lockedNow) await deps.audit.record({ type: 'auth.locked', ...audit, details: { key: refusal.lockedNow.split(':')[0], retryAfter: Math.ceil(refusal.retryAfterMs / 1000) } });
    throw rateLimited(refusal);
  }

  const user = await findUserByEmail(deps.db, email);
  const stored = await passwordHashOf(deps.db, user?._id ?? new ObjectId());
  const hash = user && isActive(user) ? stored : null;
  const isValid = await verifyPassword(body.password, hash ?? (await dummyHash(deps.options.passwordCost)));
  if (!user || !hash || !isValid) {
    await deps.audit.record({ type: 'auth.login_failed', ...audit, ...(user ? { actor: user._id } : {}) });
    throw unauthenticated('E-mail or password is incorrect');
  }

  await deps.throttle.succeeded({ reset: [accountKey], refund: [ipKey] });
  if (needsRehash(hash, deps.options.passwordCost)) await storePasswordHash(deps.db, user._id, await hashPassword(body.password, deps.options.passwordCost));
  const { token, session } = await createSession(deps.db, { userId: user._id, ip: input.ip, userAgent: input.userAgent, options: deps.options.session });
  await deps.audit.record({ type: 'auth.login', ...audit, actor: user._id, via: 'session' });
  return { token, session, user };
}
