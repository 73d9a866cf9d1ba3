import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFieldMap } from '../../core/query/field-map.ts';
import { gadgetEntity } from './fixtures.ts';

test('field map lists live entity fields with their query types and leaves retired ones out', () => {
  const map = buildFieldMap(gadgetEntity());
  assert.equal(map.get('rating')?.type, 'number');
  assert.equal(map.get('price')?.type, 'money');
  assert.equal(map.get('legacy'), undefined);
  assert.equal(map.get('organization')?.entity, 'organization');
});

test('system fields are always present with their types', () => {
  const map = buildFieldMap({ name: 'plain', label: { en: 'Plain' }, fields: [] });
  assert.deepEqual(
    [...map.values()].map((f) => [f.name, f.type, f.isSystem]),
    [
      ['_id', 'objectId', true],
      ['createdAt', 'datetime', true],
      ['updatedAt', 'datetime', true],
      ['createdBy', 'reference', true],
      ['updatedBy', 'reference', true],
      ['version', 'integer', true],
    ],
  );
  assert.equal(map.get('createdBy')?.entity, 'user');
  assert.equal(map.has('owner'), false);
  assert.equal(map.has('direction'), false);
  assert.equal(map.has('stage'), false);
});

test('feature fields appear only when the feature is on', () => {
  const map = buildFieldMap(gadgetEntity());
  assert.equal(map.get('owner')?.type, 'reference');
  assert.equal(map.get('owner')?.entity, 'user');
  assert.equal(map.get('direction')?.type, 'enum');
  assert.equal(map.get('stage')?.type, 'enum');
});

test('computed fields are queried by their result type; without one they are not queryable', () => {
  const map = buildFieldMap(gadgetEntity());
  assert.equal(map.get('score')?.type, 'number');
  assert.equal(map.get('score')?.isSortable, true);
  assert.equal(map.has('untyped'), false);
});

test('array and json fields are not sortable; reference fields are expandable', () => {
  const map = buildFieldMap(gadgetEntity());
  assert.equal(map.get('tags')?.isArray, true);
  assert.equal(map.get('tags')?.isSortable, false);
  assert.equal(map.get('contacts')?.isSortable, false);
  assert.equal(map.get('meta')?.isSortable, false);
  assert.equal(map.get('contacts')?.isExpandable, true);
  assert.equal(map.get('organization')?.isExpandable, true);
  assert.equal(map.get('title')?.isExpandable, false);
});

test('a platform field wins over an entity field of the same name', () => {
  const entity = gadgetEntity();
  entity.fields.push({ name: 'version', type: 'text', label: { en: 'Version' } });
  assert.equal(buildFieldMap(entity).get('version')?.type, 'integer');
});

test('the map is cached per definition and rebuilt when the revision changes', () => {
  const entity = gadgetEntity();
  const first = buildFieldMap(entity);
  assert.equal(buildFieldMap(entity), first);
  entity.fields.push({ name: 'extra', type: 'integer', label: { en: 'Extra' } });
  assert.equal(buildFieldMap(entity).has('extra'), false, 'same revision: cached');
  entity.revision = 2;
  const second = buildFieldMap(entity);
  assert.notEqual(second, first);
  assert.equal(second.get('extra')?.type, 'integer');
});
