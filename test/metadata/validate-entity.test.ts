import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEntity, type EntityValidationContext } from '../../core/metadata/validate-entity.ts';
import type { EntityDefinition, FieldDefinition, PipelineDefinition } from '../../core/metadata/types.ts';
import { field, gadget, label } from './fixtures.ts';

const entities = new Map<string, EntityDefinition>();
const ctx = { entities };
const entity = (fields: FieldDefinition[], extra: Partial<EntityDefinition> = {}): EntityDefinition => ({ name: 'thing', label: label('Thing'), fields, ...extra });
const check = (def: unknown, context: EntityValidationContext = ctx) => validateEntity(def, context);
const messageAt = (def: unknown, path: string) => check(def).find((e) => e.path === path)?.message;

test('a complete entity with every field type is valid', () => {
  assert.deepEqual(check(gadget()), []);
});

test('never throws, whatever it is given', () => {
  for (const junk of [null, 42, 'x', [], { fields: 'no' }, { name: 'a', label: { en: 'A' }, fields: [null, 1, { name: 'x' }] }]) {
    assert.ok(check(junk).length > 0, JSON.stringify(junk));
  }
});

test('reserved field names get a message that says why', () => {
  const def = entity([field('title', 'text')]);
  const named = (name: string, features = {}) => {
    const d = { ...def, features, fields: [...def.fields, field(name, 'text')] };
    return check(d).find((e) => e.path === '/fields/1/name')?.message;
  };
  assert.match(named('_id') ?? '', /reserved for the record id/);
  assert.match(named('id') ?? '', /reserved for the record id/);
  assert.match(named('$where') ?? '', /database operators/);
  assert.match(named('a.b') ?? '', /dot/);
  assert.match(named('version') ?? '', /platform keeps it on every record/);
  assert.match(named('createdAt') ?? '', /platform keeps it/);
  assert.match(named('owner', { owner: true }) ?? '', /owner feature/);
  assert.equal(named('owner'), undefined, 'owner is an ordinary name when the feature is off');
  assert.match(named('stage', { pipeline: 'sales' }) ?? '', /pipeline/);
  assert.match(messageAt({ ...def, name: '$bad' }, '/name') ?? '', /database operators/);
});

test('duplicate field names are refused at the second one', () => {
  const errors = check(entity([field('title', 'text'), field('title', 'integer')]));
  assert.deepEqual(errors, [{ path: '/fields/1/name', message: 'duplicates the name of field 0 ("title")' }]);
});

test('titleField and searchable must name live fields of suitable types', () => {
  const fields = [field('title', 'text'), field('flag', 'boolean'), field('old', 'text', { retired: true }), field('fullName', 'computed', { expression: { cat: [{ var: 'title' }] }, resultType: 'text' })];
  assert.equal(messageAt(entity(fields, { titleField: 'nope' }), '/titleField'), 'names no field of the entity ("nope")');
  assert.equal(messageAt(entity(fields, { titleField: 'flag' }), '/titleField'), 'a boolean field cannot be the title');
  assert.equal(messageAt(entity(fields, { titleField: 'old' }), '/titleField'), 'names no field of the entity ("old")');
  assert.deepEqual(check(entity(fields, { titleField: 'fullName', searchable: ['title', 'fullName'] })), []);
  const errors = check(entity(fields, { searchable: ['title', 'flag', 'ghost'] }));
  assert.deepEqual(errors, [
    { path: '/searchable/1', message: 'a boolean field cannot be searched as text' },
    { path: '/searchable/2', message: 'names no field of the entity ("ghost")' },
  ]);
  assert.equal(messageAt(entity([field('n', 'integer', { searchable: true })]), '/fields/0/searchable'), 'a integer field cannot be searched as text');
});

test('references must name a known entity; the entity itself counts', () => {
  const known = new Map([['company', entity([], { name: 'company' })]]);
  const def = entity([field('company', 'reference', { entity: 'company' }), field('parent', 'reference', { entity: 'thing' }), field('ghosts', 'references', { entity: 'ghost' })]);
  assert.deepEqual(check(def, { entities: known }), [{ path: '/fields/2/entity', message: 'names an unknown entity "ghost"' }]);
});

test('required references that cycle back make creation impossible and are refused', () => {
  const self = entity([field('parent', 'reference', { entity: 'thing', required: true })]);
  assert.match(messageAt(self, '/fields/0/required') ?? '', /cycle \(thing → thing\)/);
  const a = entity([field('b', 'reference', { entity: 'b', required: true })], { name: 'a' });
  const b = entity([field('c', 'reference', { entity: 'c', required: true })], { name: 'b' });
  const c = entity([field('a', 'reference', { entity: 'a', required: true })], { name: 'c' });
  const all = new Map([['a', a], ['b', b], ['c', c]]);
  const errors = validateEntity(c, { entities: all });
  assert.deepEqual(errors, [{ path: '/fields/0/required', message: 'required references form a cycle (c → a → b → c): no record could ever be created first' }]);
  // an optional link anywhere on the loop breaks it
  const optional = new Map([['a', a], ['b', { ...b, fields: [field('c', 'reference', { entity: 'c' })] }], ['c', c]]);
  assert.deepEqual(validateEntity(c, { entities: optional }), []);
  assert.deepEqual(check(entity([field('parent', 'reference', { entity: 'thing' })])), []);
});

test('computed fields: validated expression, known inputs, no self or mutual reads', () => {
  const computed = (name: string, expression: unknown) => field(name, 'computed', { expression, resultType: 'number' });
  assert.equal(messageAt(entity([field('n', 'number'), computed('x', { '+': [{ var: 'x' }, 1] })]), '/fields/1/expression'), 'reads its own value');
  const mutual = check(entity([computed('a', { var: 'b' }), computed('b', { '+': [{ var: 'a' }, 1] })]));
  assert.deepEqual(mutual.map((e) => e.message), ['computed fields read each other in a cycle (a → b → a)', 'computed fields read each other in a cycle (b → a → b)']);
  assert.equal(messageAt(entity([computed('a', { var: 'ghost' })]), '/fields/0/expression'), 'reads "ghost", which is not a field of the entity');
  assert.equal(messageAt(entity([field('old', 'number', { retired: true }), computed('a', { var: 'old' })]), '/fields/1/expression'), 'reads the retired field "old"');
  assert.deepEqual(check(entity([field('n', 'number'), computed('a', { var: 'n' }), computed('b', { '*': [{ var: 'a' }, { var: 'version' }] })])), []);
  const unsafe = check(entity([computed('a', { method: [{ var: 'n' }, 'toString'] })]));
  assert.deepEqual(unsafe, [{ path: '/fields/0/expression/method', message: 'unknown or forbidden operation "method"' }]);
  let deep: unknown = 1;
  for (let i = 0; i < 12; i++) deep = { '+': [deep, 1] };
  assert.match(messageAt(entity([computed('a', deep)]), '/fields/0/expression/+/0/+/0/+/0/+/0/+/0/+/0/+/0/+/0/+/0/+/0') ?? '', /deeper than 10/);
  assert.equal(messageAt(entity([field('s', 'computed', { expression: 'x', resultType: 'enum' })]), '/fields/0/options'), 'a computed enum field needs options');
});

test('patterns must compile and must not backtrack catastrophically', () => {
  assert.match(messageAt(entity([field('a', 'text', { pattern: '([a-z]+)+$' })]), '/fields/0/pattern') ?? '', /nested quantifiers/);
  assert.match(messageAt(entity([field('a', 'text', { pattern: '[' })]), '/fields/0/pattern') ?? '', /not a valid regular expression/);
  assert.match(messageAt(entity([field('a', 'text', { pattern: '\\-\\q' })]), '/fields/0/pattern') ?? '', /unicode/);
  assert.deepEqual(check(entity([field('a', 'text', { pattern: '^[A-Z]{2}-[0-9]+$' })])), []);
});

test('defaults must be valid values of their field', () => {
  const options = [{ value: 'a', label: label('A') }];
  const cases: Array<[FieldDefinition, string]> = [
    [field('r', 'number', { min: 1, max: 5, default: 9 }), 'must be <= 5'],
    [field('e', 'enum', { options, default: 'z' }), 'must be one of: "a"'],
    [field('m', 'multienum', { options, default: ['a', 'b'] }), 'must be one of: "a"'],
    [field('c', 'text', { pattern: '^[0-9]+$', default: 'abc' }), 'must match pattern "^[0-9]+$"'],
    [field('d', 'date', { default: '2023-02-30' }), 'must match format "date"'],
    [field('p', 'money', { min: 0, default: '-1.00' }), 'must be >= 0'],
    [field('t', 'text', { maxLength: 3, default: 'long' }), 'must NOT have more than 3 characters'],
  ];
  for (const [f, message] of cases) {
    const errors = check(entity([f]));
    assert.equal(errors.length, 1, `${f.name}: ${JSON.stringify(errors)}`);
    assert.ok(errors[0].path.startsWith('/fields/0/default'), errors[0].path);
    assert.equal(errors[0].message, message);
  }
  assert.equal(messageAt(entity([field('n', 'json', { default: null })]), '/fields/0/default'), 'must not be null (leave the default out instead)');
  assert.deepEqual(check(entity([field('n', 'integer', { default: 3, min: 0 }), field('m', 'money', { default: '10.50' })])), []);
});

test('bounds, options, unique and read-only required fields are checked', () => {
  const options = [{ value: 'a', label: label('A') }, { value: 'a', label: label('A again') }];
  assert.equal(messageAt(entity([field('n', 'number', { min: 5, max: 1 })]), '/fields/0/max'), 'must be >= min');
  assert.equal(messageAt(entity([field('t', 'text', { minLength: 5, maxLength: 1 })]), '/fields/0/maxLength'), 'must be >= minLength');
  assert.equal(messageAt(entity([field('e', 'enum', { options })]), '/fields/0/options/1/value'), 'duplicates option 0 ("a")');
  assert.equal(messageAt(entity([field('b', 'boolean', { unique: true })]), '/fields/0/unique'), 'a boolean field cannot be unique');
  assert.equal(messageAt(entity([field('j', 'json', { indexed: true })]), '/fields/0/indexed'), 'a json field cannot be indexed');
  assert.match(messageAt(entity([field('r', 'text', { readonly: true, required: true })]), '/fields/0/required') ?? '', /needs a default/);
});

test('indexes must name fields of the entity or platform fields', () => {
  const def = entity([field('title', 'text'), field('old', 'text', { retired: true })], {
    features: { owner: true },
    indexes: [{ keys: { title: 1, createdAt: -1 }, name: 'byTitle' }, { keys: { owner: 1, ghost: 1 } }, { keys: { old: 1 }, name: 'byTitle' }, { keys: { direction: 1 } }],
  });
  assert.deepEqual(check(def), [
    { path: '/indexes/1/keys/ghost', message: 'names no field of the entity ("ghost")' },
    { path: '/indexes/2/keys/old', message: 'names no field of the entity ("old")' },
    { path: '/indexes/2/name', message: 'duplicates the name of index 0' },
    { path: '/indexes/3/keys/direction', message: 'names no field of the entity ("direction")' },
  ]);
});

test('features.pipeline must name a pipeline of this entity when pipelines are known', () => {
  const pipeline = (entityName: string): PipelineDefinition => ({ name: 'sales', label: label('Sales'), entity: entityName, stages: [{ name: 'open', label: label('Open'), kind: 'open' }] });
  const def = entity([field('title', 'text')], { features: { pipeline: 'sales' } });
  assert.deepEqual(check(def), [], 'not checked without pipelines');
  assert.deepEqual(check(def, { entities, pipelines: new Map([['sales', pipeline('thing')]]) }), []);
  assert.equal(check(def, { entities, pipelines: new Map() })[0].message, 'names an unknown pipeline "sales"');
  assert.equal(check(def, { entities, pipelines: new Map([['sales', pipeline('deal')]]) })[0].message, 'the pipeline "sales" belongs to the entity "deal"');
});

test('meta-schema errors come first, with paths, and nothing else is checked on a malformed document', () => {
  const errors = check({ name: 'thing', label: { en: 'T' }, fields: [{ name: 'r', type: 'number', label: { en: 'R' }, min: 'low' }], titleField: 'ghost' });
  assert.deepEqual(errors, [{ path: '/fields/0/min', message: 'must be number' }]);
});
