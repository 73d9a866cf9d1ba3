import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonLogic from 'json-logic-js';
import type { RulesLogic } from 'json-logic-js';
import { Decimal128, Long, ObjectId } from 'mongodb';
import { evaluateLogic } from '../../core/logic/evaluate-logic.ts';

const record = {
  name: 'Acme',
  amount: 1200,
  probability: 40,
  tags: ['vip', 'key', 'north'],
  lines: [
    { qty: 2, price: 10 },
    { qty: 1, price: 5.5 },
  ],
  address: { city: 'Oslo' },
  email: '',
  empty: [],
  nothing: null,
};

// The same expression must give the same answer here as in json-logic-js itself.
const parityCases: unknown[] = [
  { '*': [{ var: 'amount' }, { '/': [{ var: 'probability' }, 100] }] },
  { if: [{ '>': [{ var: 'amount' }, 1000] }, 'large', { '>': [{ var: 'amount' }, 100] }, 'medium', 'small'] },
  { if: [false, 1] },
  { if: [] },
  { '?:': [true, 'a', 'b'] },
  { and: [true, 0, 'x'] },
  { and: [1, 'x'] },
  { or: [0, '', 'first', 'second'] },
  { or: [0, ''] },
  { and: [] },
  { '!': [{ var: 'empty' }] },
  { '!!': [{ var: 'tags' }] },
  { '==': [1, '1'] },
  { '===': [1, '1'] },
  { '!=': [{ var: 'name' }, 'Acme'] },
  { '<': [1, { var: 'probability' }, 50] },
  { '<=': [1, 1, 2] },
  { min: [3, 1, 2] },
  { max: [{ var: 'amount' }, 5000] },
  { '-': [5] },
  { '%': [10, 3] },
  { '+': ['1', 2] },
  { cat: ['Hello, ', { var: 'name' }, '!'] },
  { substr: [{ var: 'name' }, 1, 2] },
  { substr: ['abcdef', -2] },
  { in: ['vip', { var: 'tags' }] },
  { in: ['cm', { var: 'name' }] },
  { merge: [{ var: 'tags' }, ['x'], 1] },
  { map: [{ var: 'lines' }, { '*': [{ var: 'qty' }, { var: 'price' }] }] },
  { filter: [{ var: 'tags' }, { '!=': [{ var: '' }, 'key'] }] },
  { reduce: [{ var: 'lines' }, { '+': [{ var: 'accumulator' }, { var: 'current.qty' }] }, 0] },
  { reduce: [{ var: 'lines' }, { var: 'current.price' }] },
  { reduce: [{ var: 'nothing' }, 1, 7] },
  { all: [{ var: 'lines' }, { '>': [{ var: 'qty' }, 0] }] },
  { all: [{ var: 'empty' }, true] },
  { none: [{ var: 'tags' }, { '==': [{ var: '' }, 'x'] }] },
  { some: [{ var: 'tags' }, { '==': [{ var: '' }, 'north'] }] },
  { map: [{ var: 'nothing' }, 1] },
  { var: 'address.city' },
  { var: 'tags.1' },
  { var: ['absent', 'fallback'] },
  { var: ['absent'] },
  { var: 'tags.length' },
  { var: '' },
  { missing: ['name', 'email', 'absent'] },
  { missing: [['name', 'nothing']] },
  { missing_some: [1, ['email', 'name']] },
  { missing_some: [2, ['email', 'name']] },
];

test('gives the same results as json-logic-js for the whitelisted operations', () => {
  for (const expr of parityCases) {
    const expected = jsonLogic.apply(expr as RulesLogic, structuredClone(record));
    const result = evaluateLogic(expr, record);
    assert.equal(result.ok, true, JSON.stringify(expr));
    if (result.ok) assert.deepEqual(result.value, expected, JSON.stringify(expr));
  }
});

test('refuses invalid expressions as a typed result instead of running them', () => {
  const result = evaluateLogic({ method: [{ var: 'name' }, 'toUpperCase'] }, record);
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.reason, 'invalid');
    assert.equal(result.errors[0].path, '/method');
  }
  const prefixed = evaluateLogic({ log: 1 }, {}, { path: '/condition' });
  assert.equal(!prefixed.ok && prefixed.errors[0].path, '/condition/log');
});

test('reads own data only: names of prototype members are absent', () => {
  // json-logic-js itself would hand back Object.prototype.toString here
  assert.equal(typeof jsonLogic.apply({ var: 'toString' }, {}), 'function');
  assert.deepEqual(evaluateLogic({ var: 'toString' }, {}), { ok: true, value: null });
  assert.deepEqual(evaluateLogic({ var: ['hasOwnProperty', 'none'] }, { a: 1 }), { ok: true, value: 'none' });
  const hostile = JSON.parse('{"__proto__": {"polluted": true}}');
  assert.deepEqual(evaluateLogic({ var: 'polluted' }, hostile), { ok: true, value: null });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('never changes the caller data and hands out frozen copies', () => {
  const data = { list: [1, 2], inner: { a: 1 } };
  const snapshot = structuredClone(data);
  const result = evaluateLogic({ var: 'inner' }, data);
  assert.ok(result.ok);
  if (result.ok) {
    assert.notEqual(result.value, data.inner);
    assert.ok(Object.isFrozen(result.value));
  }
  evaluateLogic({ merge: [{ var: 'list' }, [3]] }, data);
  assert.deepEqual(data, snapshot);
});

test('stops a reduce that doubles its accumulator with a budget error, quickly', () => {
  const items = Array.from({ length: 60 }, (_, i) => i);
  const doubling = { reduce: [{ var: 'items' }, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'xx'] };
  const started = performance.now();
  const result = evaluateLogic(doubling, { items });
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.reason, 'budget');
  assert.ok(performance.now() - started < 2000);
});

test('stops nested arrays of shared references before they are stringified', () => {
  const items = Array.from({ length: 64 }, (_, i) => i);
  // each step nests the accumulator twice: cheap to build (shared), exponential to stringify
  const tree = { reduce: [{ var: 'items' }, [{ var: 'accumulator' }, { var: 'accumulator' }], 0] };
  const grown = evaluateLogic({ '==': [tree, 'x'] }, { items });
  assert.equal(!grown.ok && grown.reason, 'budget');
  const returned = evaluateLogic(tree, { items });
  assert.equal(!returned.ok && returned.reason, 'budget');
});

test('turns a failing operation into a runtime result instead of throwing', () => {
  // json-logic-js calls b.indexOf(a); a record value with a non-function indexOf makes that throw
  const result = evaluateLogic({ in: ['a', { var: 'odd' }] }, { odd: { indexOf: 'not a function' } });
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.reason, 'runtime');
    assert.match(result.errors[0].message, /evaluation failed/);
  }
});

test('reads BSON values and dates by their JSON meaning', () => {
  const id = new ObjectId();
  const data = { id, price: Decimal128.fromString('1234.50'), count: Long.fromNumber(7), at: new Date('2024-05-01T10:00:00Z') };
  assert.deepEqual(evaluateLogic({ var: 'id' }, data), { ok: true, value: id.toHexString() });
  assert.deepEqual(evaluateLogic({ '+': [{ var: 'price' }, 0.5] }, data), { ok: true, value: 1235 });
  assert.deepEqual(evaluateLogic({ '>': [{ var: 'count' }, 6] }, data), { ok: true, value: true });
  assert.deepEqual(evaluateLogic({ '<': ['2024-01-01', { var: 'at' }] }, data), { ok: true, value: true });
});

test('copes with cyclic, shared and non-JSON data', () => {
  const shared = { v: 1 };
  const cyclic: Record<string, unknown> = { a: shared, b: shared, f: () => 1 };
  cyclic.self = cyclic;
  assert.deepEqual(evaluateLogic({ var: 'self' }, cyclic), { ok: true, value: null });
  assert.deepEqual(evaluateLogic({ '+': [{ var: 'a.v' }, { var: 'b.v' }] }, cyclic), { ok: true, value: 2 });
  assert.deepEqual(evaluateLogic({ var: 'f' }, cyclic), { ok: true, value: null });
});
