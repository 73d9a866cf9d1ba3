import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, ObjectId } from 'mongodb';
import { find } from 'mingo';
import { buildFieldMap } from '../../core/query/field-map.ts';
import { parseFilter, parseFilterValue } from '../../core/query/parse-filter.ts';
import { gadgetEntity } from './fixtures.ts';
import { assertRefused, queryErrors } from './helpers.ts';

const map = buildFieldMap(gadgetEntity());
const parse = (filter: unknown) => parseFilter(JSON.stringify(filter), map);
const refused = (filter: unknown, path: string, message?: string | RegExp) => assertRefused(() => parse(filter), path, message);
const ID = '65f1a2b3c4d5e6f708192a3b';

test('absent or blank filter means no condition', () => {
  assert.deepEqual(parseFilter(undefined, map), {});
  assert.deepEqual(parseFilter('', map), {});
  assert.deepEqual(parseFilter('  ', map), {});
});

test('the API.md example parses to the same MongoDB filter', () => {
  assert.deepEqual(parseFilter('{"rating":{"$gte":4},"city":"Москва"}', map), { rating: { $gte: 4 }, city: 'Москва' });
});

test('every whitelisted operator is accepted on a field type it fits', () => {
  const out = parse({
    rating: { $gt: 1, $lt: 5, $ne: 3 },
    count: { $in: [1, 2], $nin: [3] },
    title: { $regex: '^ab', $options: 'i' },
    city: { $not: { $regex: 'x' } },
    email: { $exists: true },
    tags: { $all: ['a', 'b'], $size: 2 },
    contacts: { $elemMatch: { $in: [ID] } },
    $or: [{ status: 'new' }, { $nor: [{ status: { $eq: 'won' } }] }],
    $and: [{ seenAt: { $lte: '2024-05-01T10:00:00Z' } }],
  });
  assert.deepEqual(Object.keys(out).sort(), ['$and', '$or', 'city', 'contacts', 'count', 'email', 'rating', 'tags', 'title']);
  assert.deepEqual(out.title, { $regex: '^ab', $options: 'i' });
  assert.deepEqual(out.tags, { $all: ['a', 'b'], $size: 2 });
});

test('dates and date-times become Date values', () => {
  const out = parse({ launchDate: { $gte: '2024-02-29' }, seenAt: { $lt: '2024-05-01T12:30:00+03:00' }, createdAt: { $gte: '2024-01-01' } });
  assert.deepEqual(out.launchDate, { $gte: new Date('2024-02-29T00:00:00Z') });
  assert.deepEqual(out.seenAt, { $lt: new Date('2024-05-01T09:30:00Z') });
  assert.deepEqual(out.createdAt, { $gte: new Date('2024-01-01T00:00:00Z') });
});

test('ids become ObjectIds on _id, references, references arrays and system user fields', () => {
  const out = parse({ _id: ID, organization: { $in: [ID, null] }, contacts: { $all: [ID] }, createdBy: ID, owner: { $ne: ID } });
  assert.ok(out._id instanceof ObjectId);
  assert.equal((out._id as ObjectId).toHexString(), ID);
  const orgIn = (out.organization as { $in: unknown[] }).$in;
  assert.ok(orgIn[0] instanceof ObjectId);
  assert.equal(orgIn[1], null);
  assert.ok((out.contacts as { $all: unknown[] }).$all[0] instanceof ObjectId);
  assert.ok(out.createdBy instanceof ObjectId);
  assert.ok((out.owner as { $ne: unknown }).$ne instanceof ObjectId);
});

test('money values become Decimal128, from JSON numbers and from exact decimal strings', () => {
  const out = parse({ price: { $gte: 10.5, $lt: '19.99' } });
  const { $gte, $lt } = out.price as { $gte: Decimal128; $lt: Decimal128 };
  assert.ok($gte instanceof Decimal128 && $lt instanceof Decimal128);
  assert.equal($gte.toString(), '10.5');
  assert.equal($lt.toString(), '19.99');
});

test('null compares for equality (null or missing) and booleans stay strict booleans', () => {
  assert.deepEqual(parse({ rating: null, isActive: false }), { rating: null, isActive: false });
  assert.deepEqual(parse({ rating: { $ne: null } }), { rating: { $ne: null } });
});

test('multienum accepts an element (contains) or a whole array (exact match)', () => {
  assert.deepEqual(parse({ tags: 'a' }), { tags: 'a' });
  assert.deepEqual(parse({ tags: ['a', 'b'] }), { tags: ['a', 'b'] });
  refused({ tags: [1] }, '/tags/0', 'must be a string');
});

test('dotted paths reach only into json fields, with JSON scalar values', () => {
  assert.deepEqual(parse({ 'meta.address.city': 'Москва', 'meta.n': { $gt: 3 } }), { 'meta.address.city': 'Москва', 'meta.n': { $gt: 3 } });
  refused({ 'rating.x': 1 }, '/rating.x', 'dotted paths go only into json fields');
  refused({ 'meta.$where': 1 }, '/meta.$where', 'json path');
  refused({ 'meta..a': 1 }, '/meta..a', 'json path');
  refused({ 'meta.a': { b: 1 } }, '/meta.a', 'not a value');
});

test('the parsed filter selects the same records in a MongoDB evaluator', () => {
  const docs = [
    { _id: new ObjectId(), title: 'Alpha', rating: 5, tags: ['a'], seenAt: new Date('2024-06-01T00:00:00Z') },
    { _id: new ObjectId(), title: 'beta', rating: 3, tags: ['a', 'b'], seenAt: new Date('2024-01-01T00:00:00Z') },
    { _id: new ObjectId(), title: 'Gamma', rating: null, tags: [] },
  ];
  const titles = (filter: unknown) => find(docs, parse(filter)).all().map((d) => d.title);
  assert.deepEqual(titles({ rating: { $gte: 4 } }), ['Alpha']);
  assert.deepEqual(titles({ title: { $regex: '^(al|be)', $options: 'i' } }), ['Alpha', 'beta']);
  assert.deepEqual(titles({ tags: { $size: 0 } }), ['Gamma']);
  assert.deepEqual(titles({ seenAt: { $gt: '2024-03-01' } }), ['Alpha']);
  assert.deepEqual(titles({ $or: [{ rating: null }, { tags: 'b' }] }), ['beta', 'Gamma']);
  assert.deepEqual(titles({ _id: docs[1]._id.toHexString() }), ['beta']);
});

for (const op of ['$where', '$expr', '$function', '$text', '$jsonSchema', '$accumulator', '$lookup', '$mod', '$type']) {
  test(`${op} is refused at the top level and under a field`, () => {
    refused({ [op]: 'x' }, `/${op}`, 'not allowed');
    refused({ rating: { [op]: 1 } }, `/rating/${op}`, 'not allowed');
  });
}

test('an unknown $operator is refused by name', () => {
  refused({ rating: { $foo: 1 } }, '/rating/$foo', 'unknown operator $foo');
  refused({ $foo: 1 }, '/$foo', 'unknown operator');
});

test('field operators at the top level and logical operators under a field are refused with where they belong', () => {
  refused({ $not: { rating: 1 } }, '/$not', 'belongs under a field');
  refused({ rating: { $or: [{ $gt: 1 }] } }, '/rating/$or', 'level of fields');
});

test('unknown, retired, hidden and unqueryable fields are refused', () => {
  refused({ nope: 1 }, '/nope', 'unknown field "nope"');
  refused({ legacy: 'x' }, '/legacy', 'unknown field');
  refused({ _search: 'x' }, '/_search', 'unknown field');
  refused({ untyped: 'x' }, '/untyped', 'unknown field');
});

test('prototype-pollution keys are refused anywhere', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    assertRefused(() => parseFilter(`{"${key}":{"x":1}}`, map), `/${key}`, 'reserved');
    assertRefused(() => parseFilter(`{"$or":[{"${key}":1}]}`, map), `/$or/0/${key}`, 'reserved');
    assertRefused(() => parseFilter(`{"meta.${key}":1}`, map), `/meta.${key}`, 'reserved');
    assertRefused(() => parseFilter(`{"rating":{"${key}":1}}`, map), '/rating');
  }
  assert.equal(({} as Record<string, unknown>).x, undefined, 'Object.prototype untouched');
});

test('an operator object where a plain value is expected is refused', () => {
  refused({ rating: { $in: [{ $gt: 1 }] } }, '/rating/$in/0', 'plain value');
  refused({ title: { $eq: { $ne: null } } }, '/title/$eq', 'plain value');
  refused({ title: { $gt: '' , x: 1 } }, '/title', 'not a value');
  refused({ title: { a: 1 } }, '/title', 'not a value');
  refused({ tags: { $all: [{ $elemMatch: {} }] } }, '/tags/$all/0', 'plain value');
  refused({ rating: {} }, '/rating', 'empty');
});

test('operators are checked against the field type', () => {
  refused({ isActive: { $gt: false } }, '/isActive/$gt', 'booleans');
  refused({ rating: { $regex: '1' } }, '/rating/$regex', 'only to text fields');
  refused({ title: { $size: 1 } }, '/title/$size', 'multienum and references');
  refused({ title: { $all: ['a'] } }, '/title/$all', 'multienum and references');
  refused({ title: { $elemMatch: { $eq: 'a' } } }, '/title/$elemMatch', 'multienum and references');
  refused({ tags: { $gt: 'a' } }, '/tags/$gt', '$elemMatch');
  refused({ contacts: { $elemMatch: { $regex: 'a' } } }, '/contacts/$elemMatch/$regex', 'only to text fields');
});

test('values are coerced strictly to the field type', () => {
  refused({ rating: '5' }, '/rating', 'must be a number');
  refused({ rating: { $gt: true } }, '/rating/$gt', 'must be a number');
  refused({ count: 2.5 }, '/count', 'integer');
  refused({ isActive: 'true' }, '/isActive', 'true or false');
  refused({ isActive: 1 }, '/isActive', 'true or false');
  refused({ price: 'ten' }, '/price', 'decimal');
  refused({ price: '1e5' }, '/price', 'decimal');
  refused({ launchDate: '2023-02-29' }, '/launchDate', 'YYYY-MM-DD');
  refused({ launchDate: '2023-02-01T00:00:00Z' }, '/launchDate', 'YYYY-MM-DD');
  refused({ seenAt: '2024-05-01T10:00:00' }, '/seenAt', 'time zone');
  refused({ seenAt: 1714557600000 }, '/seenAt', 'ISO 8601');
  refused({ _id: 'abc' }, '/_id', '24 hex');
  refused({ organization: { $in: ['zz'] } }, '/organization/$in/0', '24 hex');
  refused({ title: 5 }, '/title', 'must be a string');
  refused({ rating: { $gt: null } }, '/rating/$gt', 'null');
  refused({ rating: [1, 2] }, '/rating', 'plain value');
});

test('operands of structural operators are checked', () => {
  refused({ email: { $exists: 1 } }, '/email/$exists', 'true or false');
  refused({ tags: { $size: -1 } }, '/tags/$size', 'non-negative');
  refused({ tags: { $size: 1.5 } }, '/tags/$size', 'non-negative');
  refused({ tags: { $all: [] } }, '/tags/$all', 'empty');
  refused({ rating: { $in: 5 } }, '/rating/$in', 'array');
  refused({ rating: { $not: 5 } }, '/rating/$not', 'object of operators');
  refused({ $and: [] }, '/$and', 'non-empty array');
  refused({ $or: {} }, '/$or', 'non-empty array');
  refused({ $nor: [5] }, '/$nor/0', 'object of conditions');
  refused({ rating: { $in: Array.from({ length: 1001 }, (_, i) => i) } }, '/rating/$in', 'at most 1000');
});

test('$regex: length-limited, compiled first, options i only, no catastrophic shapes', () => {
  assert.deepEqual(parse({ title: { $regex: 'a'.repeat(200) } }), { title: { $regex: 'a'.repeat(200) } });
  refused({ title: { $regex: 'a'.repeat(201) } }, '/title/$regex', 'at most 200');
  refused({ title: { $regex: '(' } }, '/title/$regex', 'not a valid regular expression');
  refused({ title: { $regex: 'a', $options: 'g' } }, '/title/$regex', 'only the option "i"');
  refused({ title: { $regex: 'a', $options: 'im' } }, '/title/$regex', 'only the option "i"');
  refused({ title: { $options: 'i' } }, '/title/$options', 'next to $regex');
  refused({ title: { $regex: 5 } }, '/title/$regex', 'string');
  refused({ title: { $regex: '(a+)+$' } }, '/title/$regex', 'nested quantifiers');
  refused({ title: { $regex: '(?:\\w*\\s?)*x' } }, '/title/$regex', 'nested quantifiers');
  refused({ title: { $regex: '(a)\\1' } }, '/title/$regex', 'backreferences');
});

test('the filter must be a JSON object', () => {
  assertRefused(() => parseFilter('{rating:1}', map), '', 'valid JSON');
  assertRefused(() => parseFilter('[1]', map), '', 'object of conditions');
  assertRefused(() => parseFilter('"x"', map), '', 'object of conditions');
  assertRefused(() => parseFilter('null', map), '', 'object of conditions');
});

test('a 1 MB filter is refused on its size without being parsed', () => {
  const huge = `{"title":"${'x'.repeat(1024 * 1024)}"`; // not even valid JSON: size is checked first
  const started = performance.now();
  assertRefused(() => parseFilter(huge, map), '', 'at most 65536 bytes');
  assert.ok(performance.now() - started < 100);
  // Multi-byte characters count as bytes, not UTF-16 units.
  assertRefused(() => parseFilter(`{"title":"${'ж'.repeat(33_000)}"}`, map), '', 'bytes');
});

const nestedAnd = (levels: number, inner: unknown): unknown => (levels === 0 ? inner : { $and: [nestedAnd(levels - 1, inner)] });

test('nesting up to 10 levels is accepted, 11 is refused before and after JSON parsing', () => {
  assert.doesNotThrow(() => parse(nestedAnd(4, { rating: { $eq: 1 } }))); // 2*4 + 2 = 10
  assertRefused(() => parse(nestedAnd(5, { rating: 1 })), '', 'deeper than 10'); // 11, caught on the raw text
  assertRefused(() => parseFilterValue(nestedAnd(5, { rating: 1 }), map), '/$and/0/$and/0/$and/0/$and/0/$and/0', 'deeper than 10');
  assertRefused(() => parseFilterValue(nestedAnd(4, { rating: { $in: [1] } }), map), '/$and/0/$and/0/$and/0/$and/0/rating/$in', 'deeper');
});

test('pathologically deep input is refused quickly', () => {
  const deep = '['.repeat(30_000) + ']'.repeat(30_000);
  const started = performance.now();
  assertRefused(() => parseFilter(deep, map), '', 'deeper than 10');
  assert.ok(performance.now() - started < 100);
});

test('brackets inside strings do not count as nesting', () => {
  assert.deepEqual(parse({ title: '{{{{{{{{{{{{[[[[[[["\\' }), { title: '{{{{{{{{{{{{[[[[[[["\\' });
});

test('more than 200 conditions and operators is refused', () => {
  const atLimit = { $and: Array.from({ length: 199 }, () => ({ rating: 1 })) }; // $and + 199 conditions = 200
  assert.doesNotThrow(() => parse(atLimit));
  const overLimit = { $and: Array.from({ length: 100 }, () => ({ rating: { $gt: 1 } })) }; // 1 + 100 * 2 = 201
  const errors = queryErrors(() => parse(overLimit));
  assert.ok(errors.some((e) => e.message.includes('more than 200')));
});

test('all problems are reported together with JSON-Pointer paths', () => {
  const errors = queryErrors(() => parse({ rating: { $gte: 'x' }, nope: 1, $or: [{ isActive: { $lt: true } }] }));
  assert.deepEqual(errors.map((e) => e.path).sort(), ['/$or/0/isActive/$lt', '/nope', '/rating/$gte']);
});

test('JSON-Pointer paths escape ~ and /', () => {
  assertRefused(() => parseFilter('{"a/b~c":1}', map), '/a~1b~0c', 'unknown field');
});

test('the error count is capped', () => {
  const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, 1]));
  assert.equal(queryErrors(() => parse(many)).length, 20);
});
