/** A sample entity with one field of every type, shared by the query tests. */
import type { EntityDefinition, FieldDefinition, FieldType } from '../../core/metadata/types.ts';

const f = (name: string, type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  name,
  type,
  label: { en: name },
  ...extra,
});

export function gadgetEntity(): EntityDefinition {
  return {
    name: 'gadget',
    label: { en: 'Gadget', ru: 'Гаджет' },
    revision: 1,
    searchable: ['title', 'city'],
    features: { owner: true, direction: true, pipeline: 'sales' },
    fields: [
      f('title', 'text', { searchable: true }),
      f('notes', 'longtext'),
      f('rating', 'number'),
      f('count', 'integer'),
      f('price', 'money'),
      f('isActive', 'boolean'),
      f('launchDate', 'date'),
      f('seenAt', 'datetime'),
      f('status', 'enum', { options: [{ value: 'new', label: { en: 'New', ru: 'Новый' } }, { value: 'won', label: { en: 'Won' } }] }),
      f('tags', 'multienum', { options: [{ value: 'a', label: { en: 'A' } }, { value: 'b', label: { en: 'B' } }] }),
      f('email', 'email'),
      f('phone', 'phone'),
      f('site', 'url'),
      f('organization', 'reference', { entity: 'organization' }),
      f('contacts', 'references', { entity: 'contact' }),
      f('score', 'computed', { expression: { '*': [{ var: 'rating' }, 2] }, resultType: 'number' }),
      f('untyped', 'computed', { expression: { var: 'title' } }),
      f('meta', 'json'),
      f('city', 'text'),
      f('legacy', 'text', { retired: true }),
    ],
  };
}
