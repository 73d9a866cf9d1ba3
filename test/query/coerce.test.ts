import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, ObjectId } from 'mongodb';
import { coerceScalar, parseDateOnly, parseDateTime } from '../../core/query/coerce.ts';

const value = (type: Parameters<typeof coerceScalar>[0], raw: unknown) => {
  const r = coerceScalar(type, raw);
  assert.ok(r.ok, `expected ${JSON.stringify(raw)} to coerce to ${type}`);
  return r.value;
};
const isRefused = (type: Parameters<typeof coerceScalar>[0], raw: unknown) => assert.equal(coerceScalar(type, raw).ok, false, `${type} ${JSON.stringify(raw)}`);

test('date-only strings are real calendar days at midnight UTC', () => {
  assert.deepEqual(parseDateOnly('2024-02-29'), new Date('2024-02-29T00:00:00Z'));
  for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-1', '20240101', '2024-04-31']) assert.equal(parseDateOnly(bad), undefined, bad);
});

test('date-times need a zone and valid clock fields', () => {
  assert.deepEqual(parseDateTime('2024-05-01T10:00:00.123Z'), new Date('2024-05-01T10:00:00.123Z'));
  assert.deepEqual(parseDateTime('2024-05-01T10:00+02:00'), new Date('2024-05-01T08:00:00Z'));
  for (const bad of ['2024-05-01T10:00:00', '2024-05-01T25:00:00Z', '2024-05-01T10:61Z', '2024-02-30T10:00Z', 'yesterday', '2024-05-01 10:00Z']) {
    assert.equal(parseDateTime(bad), undefined, bad);
  }
});

test('money keeps decimal strings exact', () => {
  const d = value('money', '0.1');
  assert.ok(d instanceof Decimal128);
  assert.equal(d.toString(), '0.1');
  assert.equal(String(value('money', -12)), '-12');
  for (const bad of ['1e3', 'NaN', 'Infinity', '01.5', '1.', '.5', '9'.repeat(35), true, null]) isRefused('money', bad);
});

test('ids must be 24 hex characters', () => {
  assert.ok(value('reference', 'AbCdEf0123456789abcdef01') instanceof ObjectId);
  for (const bad of ['abc', 'g'.repeat(24), 'a'.repeat(25), 123]) isRefused('objectId', bad);
});

test('numbers, integers and booleans are strict JSON types', () => {
  assert.equal(value('number', 1.5), 1.5);
  assert.equal(value('integer', -3), -3);
  isRefused('number', '1.5');
  isRefused('integer', 1.5);
  isRefused('integer', 2 ** 60);
  isRefused('boolean', 'false');
  isRefused('boolean', 0);
});

test('json sub-paths take JSON scalars only', () => {
  assert.equal(value('json', 'x'), 'x');
  assert.equal(value('json', false), false);
  isRefused('json', { a: 1 });
  isRefused('json', [1]);
});
