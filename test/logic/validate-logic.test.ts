import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateLogic } from '../../core/logic/validate-logic.ts';
import { dataPaths } from '../../core/logic/data-paths.ts';

const paths = (expr: unknown, options = {}) => validateLogic(expr, options).map((e) => e.path);

test('accepts ordinary expressions built from the standard operations', () => {
  const exprs: unknown[] = [
    { '>': [{ var: 'rating' }, 3] },
    { and: [{ '==': [{ var: 'status' }, 'won'] }, { '!': { var: 'lost' } }] },
    { if: [{ '<': [{ var: 'amount' }, 1000] }, 'small', 'large'] },
    { '*': [{ var: 'amount' }, { '/': [{ var: 'probability' }, 100] }] },
    { reduce: [{ var: 'lines' }, { '+': [{ var: 'current.total' }, { var: 'accumulator' }] }, 0] },
    { some: [{ var: 'tags' }, { in: [{ var: '' }, ['vip', 'key']] }] },
    { cat: ['#', { substr: [{ var: 'code' }, 0, 4] }] },
    { missing_some: [1, ['email', 'phone']] },
    { missing: ['email', 'phone'] },
    { var: ['nickname', 'n/a'] },
    { merge: [[1], [2]] },
    true,
    42,
    'text',
  ];
  for (const expr of exprs) assert.deepEqual(validateLogic(expr), [], JSON.stringify(expr));
});

test('refuses unknown operations and the dangerous ones with the path of the operation', () => {
  assert.deepEqual(paths({ and: [true, { frobnicate: [1] }] }), ['/and/1/frobnicate']);
  const [err] = validateLogic({ method: [{ var: 'name' }, 'toUpperCase'] });
  assert.equal(err.path, '/method');
  assert.match(err.message, /unknown or forbidden operation "method"/);
  assert.deepEqual(paths({ log: 'x' }), ['/log']);
  // json-logic-js resolves dotted operation names by walking objects: refused outright
  assert.deepEqual(paths({ 'toString.call': [] }), ['/toString.call']);
  assert.deepEqual(paths(JSON.parse('{"__proto__": []}')), ['/__proto__']);
});

test('escapes operation names in JSON Pointer paths', () => {
  assert.deepEqual(paths({ '/': [1] }), ['/~1']);
});

test('allowedOps narrows the whitelist but can never widen it', () => {
  assert.deepEqual(paths({ '+': [1, 2] }, { allowedOps: ['==', 'var'] }), ['/+']);
  assert.deepEqual(paths({ log: 1 }, { allowedOps: ['log'] }), ['/log']);
  assert.deepEqual(paths({ '==': [{ var: 'a' }, 1] }, { allowedOps: ['==', 'var'] }), []);
});

test('refuses var paths that reach prototypes or are computed', () => {
  for (const bad of ['__proto__', 'a.constructor', 'prototype', 'constructor.name']) {
    const errors = validateLogic({ var: bad });
    assert.equal(errors.length, 1, bad);
    assert.equal(errors[0].path, '/var');
    assert.match(errors[0].message, /not allowed/);
  }
  assert.match(validateLogic({ var: [{ cat: ['a', 'b'] }] })[0].message, /literal string/);
  assert.equal(validateLogic({ var: ['$where'] })[0].path, '/var/0');
  assert.equal(validateLogic({ var: 'a..b' }).length, 1);
  assert.equal(validateLogic({ var: -1 }).length, 1);
  assert.equal(validateLogic({ missing: ['ok', '__proto__'] })[0].path, '/missing/1');
  assert.equal(validateLogic({ missing_some: [1, [{ var: 'x' }]] })[0].path, '/missing_some/1/0');
});

test('refuses expressions deeper than maxDepth', () => {
  let deep: unknown = { var: 'x' };
  for (let i = 0; i < 10; i++) deep = { '!': [deep] };
  const errors = validateLogic(deep);
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /deeper than 10 levels/);
  assert.deepEqual(validateLogic(deep, { maxDepth: 12 }), []);
});

test('refuses expressions with more than maxNodes nodes', () => {
  const wide = { '+': Array.from({ length: 600 }, (_, i) => i) };
  const errors = validateLogic(wide);
  assert.equal(errors[0].path, '');
  assert.match(errors[0].message, /too large \(more than 500 nodes\)/);
  assert.deepEqual(validateLogic({ '+': Array.from({ length: 100 }, (_, i) => i) }), []);
});

test('refuses wrong argument counts, object literals and non-JSON values', () => {
  assert.match(validateLogic({ '==': [1] })[0].message, /takes 2 argument\(s\), got 1/);
  assert.match(validateLogic({ map: [{ var: 'a' }] })[0].message, /takes 2 argument/);
  assert.match(validateLogic({ a: 1, b: 2 })[0].message, /one operation/);
  assert.match(validateLogic({})[0].message, /one operation/);
  assert.equal(validateLogic({ '+': [Number.NaN, 1] })[0].path, '/+/0');
  assert.match(validateLogic(undefined)[0].message, /required/);
});

test('prefixes every error with the given path', () => {
  assert.deepEqual(paths({ or: [{ nope: 1 }] }, { path: '/fields/3/expression' }), ['/fields/3/expression/or/0/nope']);
});

test('dataPaths lists what an expression reads from the record, not from list elements', () => {
  const expr = {
    and: [
      { '>': [{ var: 'amount' }, 0] },
      { some: [{ var: 'lines' }, { '>': [{ var: 'qty' }, 1] }] },
      { reduce: [{ var: 'items' }, { '+': [{ var: 'accumulator' }, 1] }, { var: 'start' }] },
      { missing: ['email'] },
      { var: ['nick', { var: 'name' }] },
    ],
  };
  assert.deepEqual(dataPaths(expr).sort(), ['amount', 'email', 'items', 'lines', 'name', 'nick', 'start']);
});
