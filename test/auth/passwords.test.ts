import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, needsRehash, passwordProblems, verifyPassword } from '../../core/auth/passwords.ts';
import { isSameSecret } from '../../core/auth/secrets.ts';
import { scopeAllows, scopeProblems } from '../../core/access/scopes.ts';

const FAST = { logN: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('hashes with a fresh salt and verifies only the right password', async () => {
    const first = await hashPassword('correct horse battery', FAST);
    const second = await hashPassword('correct horse battery', FAST);
    assert.notEqual(first, second, 'per-password salt');
    assert.match(first, /^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(first.includes('correct'), false);
    assert.equal(await verifyPassword('correct horse battery', first), true);
    assert.equal(await verifyPassword('correct horse batterY', first), false);
    assert.equal(await verifyPassword('', first), false);
    assert.equal(await verifyPassword('correct horse battery', 'md5$abc'), false, 'unknown formats never match');
    assert.equal(await verifyPassword('x'.repeat(10_000), first), false, 'overlong input is refused before hashing');
  });

  it('asks for a re-hash when the configured cost went up', async () => {
    const weak = await hashPassword('correct horse battery', FAST);
    assert.equal(needsRehash(weak, FAST), false);
    assert.equal(needsRehash(weak, { logN: 11, r: 8, p: 1 }), true);
    assert.equal(needsRehash(weak, { logN: 10, r: 8, p: 2 }), true);
  });

  it('refuses short, overlong and e-mail passwords (length rules, no composition rules)', () => {
    assert.deepEqual(passwordProblems('long enough'), []);
    assert.equal(passwordProblems('short').length, 1);
    assert.equal(passwordProblems(12345678).length, 1);
    assert.equal(passwordProblems('x'.repeat(257)).length, 1);
    assert.equal(passwordProblems('Bob@Example.com', { email: 'bob@example.com' }).length, 1);
    assert.deepEqual(passwordProblems('пароль-из-кириллицы'), []);
  });

  it('compares secrets in constant time, any length', () => {
    assert.equal(isSameSecret('abc', 'abc'), true);
    assert.equal(isSameSecret('abc', 'abd'), false);
    assert.equal(isSameSecret('abc', 'abcd'), false);
  });
});

describe('token scopes', () => {
  it('allow "*", entity:action and wildcards on either side, nothing else', () => {
    assert.equal(scopeAllows(undefined, 'deal', 'delete'), true, 'sessions are not limited by scopes');
    assert.equal(scopeAllows(['*'], 'deal', 'delete'), true);
    assert.equal(scopeAllows(['deal:read'], 'deal', 'read'), true);
    assert.equal(scopeAllows(['deal:read'], 'deal', 'update'), false);
    assert.equal(scopeAllows(['deal:read'], 'organization', 'read'), false);
    assert.equal(scopeAllows(['deal:*'], 'deal', 'delete'), true);
    assert.equal(scopeAllows(['*:read'], 'organization', 'read'), true);
    assert.equal(scopeAllows([], 'deal', 'read'), false);
  });

  it('validates the grammar', () => {
    assert.deepEqual(scopeProblems(['*']), []);
    assert.deepEqual(scopeProblems(['deal:read', '*:export', 'deal:*']), []);
    assert.deepEqual(scopeProblems([]).map((e) => e.path), ['/scopes']);
    assert.deepEqual(scopeProblems(['deal:fly', 'Deal:read', 'deal', 7]).map((e) => e.path), ['/scopes/0', '/scopes/1', '/scopes/2', '/scopes/3']);
  });
});
