/**
 * The sign-in throttle as a pure function of a counter's state: a few free
 * failures, then each further attempt must wait an exponentially growing
 * delay (answered 429 with Retry-After), then the key is locked for a while.
 * Every allowed attempt is charged up front (so parallel guesses cannot slip
 * through between check and count); a successful sign-in gives it back.
 */

export interface ThrottlePolicy {
  /** failures within the window before attempts are slowed */
  freeFailures: number;
  /** failures within the window after which the key is locked */
  lockAfter: number;
  /** first delay once slowed; doubles per further failure, up to maxDelayMs */
  baseDelayMs: number;
  maxDelayMs: number;
  /** failures older than this are forgotten */
  windowMs: number;
  lockMs: number;
}

export const ACCOUNT_THROTTLE: ThrottlePolicy = { freeFailures: 5, lockAfter: 10, baseDelayMs: 1000, maxDelayMs: 60_000, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** Per client address: looser, since offices share one address, but it stops spraying many accounts. */
export const IP_THROTTLE: ThrottlePolicy = { freeFailures: 20, lockAfter: 100, baseDelayMs: 1000, maxDelayMs: 60_000, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export interface ThrottleState {
  /** attempts charged in the current window (failures, and attempts still being checked) */
  failures: number;
  windowStart: Date;
  lastAttemptAt: Date;
  lockedUntil?: Date;
}

export type ThrottleDecision =
  | { isAllowed: true; next: ThrottleState }
  | { isAllowed: false; retryAfterMs: number; isLocked: boolean; /** set when this attempt started the lock */ next?: ThrottleState };

function isFresh(state: ThrottleState | null, policy: ThrottlePolicy, now: Date): state is ThrottleState {
  if (!state) return false;
  if (state.lockedUntil) return state.lockedUntil > now;
  return now.getTime() - state.windowStart.getTime() < policy.windowMs;
}

export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.baseDelayMs * 2 ** (failures - policy.freeFailures), policy.maxDelayMs);
}

export function decideAttempt(stored: ThrottleState | null, policy: ThrottlePolicy, now: Date): ThrottleDecision {
  const state: ThrottleState = isFresh(stored, policy, now) ? stored : { failures: 0, windowStart: now, lastAttemptAt: now };
  if (state.lockedUntil) return { isAllowed: false, isLocked: true, retryAfterMs: state.lockedUntil.getTime() - now.getTime() };
  if (state.failures >= policy.lockAfter) {
    const lockedUntil = new Date(now.getTime() + policy.lockMs);
    return { isAllowed: false, isLocked: true, retryAfterMs: policy.lockMs, next: { ...state, lockedUntil } };
  }
  const waitMs = state.lastAttemptAt.getTime() + delayAfter(state.failures, policy) - now.getTime();
  if (waitMs > 0) return { isAllowed: false, isLocked: false, retryAfterMs: waitMs };
  return { isAllowed: true, next: { ...state, failures: state.failures + 1, lastAttemptAt: now } };
}

/** When the counter may be forgotten (TTL): the end of its window or of its lock. */
export function expiryOf(state: ThrottleState, policy: ThrottlePolicy): Date {
  const windowEnd = state.windowStart.getTime() + policy.windowMs;
  return new Date(Math.max(windowEnd, state.lockedUntil?.getTime() ?? 0, state.lastAttemptAt.getTime() + policy.maxDelayMs));
}
