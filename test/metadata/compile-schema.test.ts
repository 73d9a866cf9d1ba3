import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileEntitySchema } from '../../core/metadata/compile-schema.ts';
import { compileCount, compileValidators } from '../../core/metadata/validators.ts';
import { withDefaults } from '../../core/metadata/defaults.ts';
import { FIELD_TYPES } from '../../core/metadata/types.ts';
import { field, gadget } from './fixtures.ts';

const ID = '64b7f0c2a1b2c3d4e5f60718';
let revision = 1000;
const validators = () => compileValidators(gadget(), ++revision);

test('create schema: writable fields only, required without default, no unknown keys', () => {
  const { create } = compileEntitySchema(gadget());
  const props = Object.keys(create.properties as object);
  for (const excluded of ['score', 'legacy', 'externalId', '_id', 'version', 'stage']) assert.ok(!props.includes(excluded), excluded);
  for (const included of ['title', 'revenue', 'owner', 'direction', 'extra']) assert.ok(props.includes(included), included);
  assert.deepEqual(create.required, ['title']);
  assert.equal(create.additionalProperties, false);
});

test('maps every field type to a value schema', () => {
  const def = gadget();
  const covered = new Set(def.fields.map((f) => f.type));
  assert.deepEqual([...covered].sort(), [...FIELD_TYPES].sort());
  const { response } = compileEntitySchema(def);
  const p = response.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(p.rating.type, ['number', 'null']);
  assert.equal(p.rating.maximum, 5);
  assert.deepEqual(p.headcount.type, ['integer', 'null']);
  assert.equal(p.founded.format, 'date');
  assert.equal(p.lastContact.format, 'date-time');
  assert.deepEqual(p.status.enum, ['new', 'done', null]);
  assert.equal(p.tags.uniqueItems, true);
  assert.equal(p.score.readOnly, true);
  assert.equal(p.externalId.readOnly, true);
  assert.equal(p.legacy, undefined);
  assert.equal(p.stage, undefined);
});

test('create accepts a valid record and reports each bad value at its field path', () => {
  const v = validators();
  const good = {
    title: 'Widget',
    code: 'AB-12',
    rating: 4.5,
    headcount: 10,
    revenue: '1234.50',
    isActive: false,
    founded: '2020-02-29',
    lastContact: '2024-05-01T10:00:00Z',
    status: 'new',
    tags: ['vip'],
    email: 'a@example.com',
    phone: '+7 (495) 123-45-67',
    site: 'https://example.com/x',
    parent: ID,
    related: [ID],
    extra: { any: ['thing'] },
    owner: ID,
    direction: 'north',
    notes: null,
  };
  assert.deepEqual(v.create(good), []);
  const errors = v.create({
    title: 'x'.repeat(101),
    code: 'ab',
    rating: 6,
    headcount: 1.5,
    revenue: '12.345',
    founded: '2021-02-29',
    status: 'old',
    tags: ['vip', 'vip'],
    email: 'nope',
    phone: 'call me',
    site: 'javascript:alert(1)',
    parent: 'x',
    related: [ID, ID],
  });
  const byPath = new Map(errors.map((e) => [e.path, e.message]));
  assert.equal(byPath.get('/rating'), 'must be <= 5');
  assert.equal(byPath.get('/title'), 'must NOT have more than 100 characters');
  assert.match(byPath.get('/code') ?? '', /must match pattern/);
  assert.equal(byPath.get('/headcount'), 'must be integer or null');
  assert.match(byPath.get('/revenue') ?? '', /must match pattern/);
  assert.match(byPath.get('/founded') ?? '', /format "date"/);
  assert.equal(byPath.get('/status'), 'must be one of: "new", "done", null');
  assert.match(byPath.get('/tags') ?? '', /duplicate/);
  assert.match(byPath.get('/email') ?? '', /format "email"/);
  assert.match(byPath.get('/phone') ?? '', /must match pattern/);
  assert.match(byPath.get('/site') ?? '', /must match pattern/);
  assert.match(byPath.get('/parent') ?? '', /must match pattern/);
  assert.match(byPath.get('/related') ?? '', /duplicate/);
  assert.equal(byPath.get('/isActive'), undefined, 'a defaulted required field is not required on create');
});

test('money is a decimal string compared exactly against its bounds', () => {
  const v = validators();
  assert.deepEqual(v.create({ title: 't', revenue: '1000000.00' }), []);
  assert.deepEqual(v.create({ title: 't', revenue: '0' }), []);
  assert.deepEqual(v.create({ title: 't', revenue: '1000000.01' }), [{ path: '/revenue', message: 'must be <= 1000000' }]);
  assert.deepEqual(v.create({ title: 't', revenue: '-0.01' }), [{ path: '/revenue', message: 'must be >= 0' }]);
  assert.equal(v.create({ title: 't', revenue: 12.5 })[0].message, 'must be string or null');
  const scaled = compileValidators({ name: 'fx', label: { en: 'Fx' }, fields: [field('rate', 'money', { scale: 4 })] }, 1);
  assert.deepEqual(scaled.create({ rate: '1.2345' }), []);
  assert.equal(scaled.create({ rate: '1.23456' }).length, 1);
});

test('create names what is missing, read-only, computed, retired, system or unknown', () => {
  const v = validators();
  const errors = v.create({ score: 1, legacy: 'x', externalId: 'e', version: 3, stage: 'won', nope: 1 });
  assert.deepEqual(errors, [
    { path: '/title', message: 'is required' },
    { path: '/score', message: 'is computed and cannot be written' },
    { path: '/legacy', message: 'is retired and can no longer be written' },
    { path: '/externalId', message: 'is read-only' },
    { path: '/version', message: 'is a system field and cannot be written' },
    { path: '/stage', message: 'is not a field of gadget (the entity does not use that feature)' },
    { path: '/nope', message: 'is not a field of gadget' },
  ]);
});

test('update is a merge patch: all optional, null clears non-required fields only', () => {
  const v = validators();
  assert.deepEqual(v.update({}), []);
  assert.deepEqual(v.update({ rating: null, tags: null, owner: null }), []);
  assert.deepEqual(v.update({ title: null }), [{ path: '/title', message: 'must be string' }]);
  assert.deepEqual(v.update({ isActive: null }), [{ path: '/isActive', message: 'must be boolean' }]);
  assert.deepEqual(v.update({ direction: null }), [{ path: '/direction', message: 'must be string' }]);
  assert.deepEqual(v.update({ rating: 0 }), [{ path: '/rating', message: 'must be >= 1' }]);
  assert.equal(compileEntitySchema(gadget()).update.required, undefined);
});

test('validators compile once per entity revision', () => {
  const def = gadget();
  const before = compileCount();
  const a = compileValidators(def, 7);
  const b = compileValidators({ ...def }, 7);
  assert.equal(a, b);
  assert.equal(compileCount(), before + 1);
  const c = compileValidators({ ...def, fields: [...def.fields, field('added', 'integer', { required: true })] }, 8);
  assert.notEqual(c, a);
  assert.match(c.key, /^gadget@8#/);
  assert.equal(compileCount(), before + 2);
  assert.deepEqual(c.create({ title: 't' }), [{ path: '/added', message: 'is required' }]);
});

test('two definitions with the same name and revision (two databases in one process) get their own validators', () => {
  const plain = gadget();
  const strict = { ...plain, fields: [...plain.fields, field('serial', 'text', { required: true })] };
  const a = compileValidators(plain, 1);
  const b = compileValidators(strict, 1);
  assert.notEqual(a, b);
  assert.deepEqual(a.create({ title: 't' }), []);
  assert.deepEqual(b.create({ title: 't' }), [{ path: '/serial', message: 'is required' }]);
  // Alternating between them reuses both compilations.
  const before = compileCount();
  assert.equal(compileValidators(plain, 1), a);
  assert.equal(compileValidators(strict, 1), b);
  assert.equal(compileCount(), before);
});

test('withDefaults fills absent writable fields with copies of their defaults', () => {
  const def = { name: 'x', label: { en: 'X' }, fields: [field('tags', 'multienum', { default: ['a'], options: [{ value: 'a', label: { en: 'A' } }] }), field('n', 'integer', { default: 1 }), field('r', 'integer', { default: 2, readonly: true })] };
  const out = withDefaults(def, { n: 5 });
  assert.deepEqual(out, { n: 5, tags: ['a'] });
  (out.tags as string[]).push('b');
  assert.deepEqual(def.fields[0].default, ['a']);
});
