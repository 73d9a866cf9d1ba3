import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Decimal128, ObjectId } from 'mongodb';
import { cursorFilter, cursorValuesOf, decodeCursor, encodeCursor, nextCursor, sortToString, toMongoSort, type SortSpec } from '../../core/query/cursor.ts';
import { assertRefused } from './helpers.ts';

const sort: SortSpec = [
  { field: 'rating', direction: -1 },
  { field: 'name', direction: 1 },
  { field: '_id', direction: 1 },
];
const id = ObjectId.createFromHexString('65f1a2b3c4d5e6f708192a3b');

test('a sort has one canonical text and a MongoDB sort document in key order', () => {
  assert.equal(sortToString(sort), '-rating,name,_id');
  assert.deepEqual(Object.entries(toMongoSort(sort)), [['rating', -1], ['name', 1], ['_id', 1]]);
});

test('a cursor round-trips every sortable BSON type with its type intact', () => {
  const s: SortSpec = ['a', 'b', 'c', 'd', 'e', 'f', 'g', '_id'].map((field) => ({ field, direction: 1 as const }));
  const values = ['Москва', 2.5, true, new Date('2024-05-01T10:00:00.123Z'), Decimal128.fromString('19.990'), null, ObjectId.createFromHexString('0123456789abcdef01234567'), id];
  const back = decodeCursor(encodeCursor(s, values), s);
  assert.deepEqual(back.slice(0, 3), ['Москва', 2.5, true]);
  assert.ok(back[3] instanceof Date && back[3].getTime() === (values[3] as Date).getTime());
  assert.ok(back[4] instanceof Decimal128 && back[4].toString() === '19.990');
  assert.equal(back[5], null);
  assert.ok(back[6] instanceof ObjectId && back[6].equals(values[6] as ObjectId));
  assert.ok(back[7] instanceof ObjectId && back[7].equals(id));
});

test('the token is opaque base64url text', () => {
  assert.match(nextCursor({ _id: id, rating: 4, name: 'x' }, sort), /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
});

test('values are read from the record, missing and null alike as null', () => {
  assert.deepEqual(cursorValuesOf({ _id: id, name: null }, sort), [null, null, id]);
  assert.throws(() => cursorValuesOf({ _id: id, rating: [1, 2] }, sort), /Cannot build a cursor/);
  assert.throws(() => cursorValuesOf({ _id: id, rating: { a: 1 } }, sort), /Cannot build a cursor/);
});

test('a cursor made for another sort is refused', () => {
  const token = nextCursor({ _id: id, rating: 4, name: 'x' }, sort);
  const other: SortSpec = [{ field: 'rating', direction: 1 }, { field: 'name', direction: 1 }, { field: '_id', direction: 1 }];
  assertRefused(() => decodeCursor(token, other), '/cursor', 'different sort');
});

test('a tampered, truncated or foreign cursor is refused', () => {
  const token = nextCursor({ _id: id, rating: 4, name: 'x' }, sort);
  const [payload, mac] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ s: '-rating,name,_id', k: [['n', 5], ['s', 'x'], ['o', id.toHexString()]] })).toString('base64url');
  assertRefused(() => decodeCursor(`${forged}.${mac}`, sort), '/cursor', 'damaged');
  const flipped = payload.slice(0, 5) + (payload[5] === 'A' ? 'B' : 'A') + payload.slice(6);
  assertRefused(() => decodeCursor(`${flipped}.${mac}`, sort), '/cursor', 'damaged');
  assertRefused(() => decodeCursor(payload, sort), '/cursor', 'malformed');
  assertRefused(() => decodeCursor(`${token}x`, sort), '/cursor', 'damaged');
  assertRefused(() => decodeCursor('', sort), '/cursor', 'malformed');
  assertRefused(() => decodeCursor('a'.repeat(9000), sort), '/cursor', 'too long');
  assertRefused(() => decodeCursor(token, sort, { secret: 'another deployment' }), '/cursor', 'damaged');
});

test('a correctly signed cursor with values of the wrong shape is refused', () => {
  const secret = 's3cret';
  const idSort: SortSpec = [{ field: '_id', direction: 1 }];
  for (const body of [{ s: '_id', k: [['x', 1]] }, { s: '_id', k: [['o', 'zz']] }, { s: '_id', k: [] }, { s: '_id', k: [{ $gt: 1 }] }, { s: '_id', k: [['d', 1e20]] }, [1]]) {
    const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
    const mac = createHmac('sha256', secret).update(payload).digest().subarray(0, 12).toString('base64url');
    assertRefused(() => decodeCursor(`${payload}.${mac}`, idSort, { secret }), '/cursor', 'malformed');
  }
});

test('cursorFilter: ascending after a value, descending with nulls last, null positions', () => {
  assert.deepEqual(cursorFilter(sort, [4, 'x', id]), {
    rating: { $not: { $gt: 4 } },
    $or: [
      { $or: [{ rating: { $lt: 4 } }, { rating: null }] },
      { rating: 4, name: { $gt: 'x' } },
      { rating: 4, name: 'x', _id: { $gt: id } },
    ],
  });
  // After a null on a descending key nothing follows on that key; after a null ascending, every non-null does.
  assert.deepEqual(cursorFilter(sort, [null, null, id]), {
    rating: null,
    $or: [
      { rating: null, name: { $ne: null } },
      { rating: null, name: null, _id: { $gt: id } },
    ],
  });
  assert.deepEqual(cursorFilter([{ field: '_id', direction: -1 }], [id]), { $or: [{ _id: { $lt: id } }, { _id: null }] });
  assert.deepEqual(cursorFilter([{ field: '_id', direction: -1 }], [null]), { _id: { $in: [] } });
  // Ascending first key: a range bound on it; after a null there is none.
  const asc: SortSpec = [{ field: 'name', direction: 1 }, { field: '_id', direction: 1 }];
  assert.deepEqual(cursorFilter(asc, ['x', id]), { name: { $gte: 'x' }, $or: [{ name: { $gt: 'x' } }, { name: 'x', _id: { $gt: id } }] });
  assert.deepEqual(cursorFilter(asc, [null, id]), { $or: [{ name: { $ne: null } }, { name: null, _id: { $gt: id } }] });
});
