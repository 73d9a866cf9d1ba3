import assert from 'node:assert/strict';
import { isAppError } from '../../core/shared/errors.ts';
import type { FieldError } from '../../core/shared/errors.ts';

/** Runs `fn`, asserts it throws a 400 QUERY_INVALID, and returns the error's field errors. */
export function queryErrors(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (e) {
    assert.ok(isAppError(e), `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, 'QUERY_INVALID');
    assert.equal(e.status, 400);
    return e.errors;
  }
  assert.fail('expected a QUERY_INVALID error, but nothing was thrown');
}

/** Asserts `fn` is refused with an error at `path` whose message contains `message`. */
export function assertRefused(fn: () => unknown, path: string, message?: string | RegExp): void {
  const errors = queryErrors(fn);
  const hit = errors.find((e) => e.path === path);
  assert.ok(hit, `expected an error at ${JSON.stringify(path)}, got ${JSON.stringify(errors)}`);
  if (typeof message === 'string') assert.ok(hit.message.includes(message), `message ${JSON.stringify(hit.message)} lacks ${JSON.stringify(message)}`);
  else if (message) assert.match(hit.message, message);
}
