import type { EntityDefinition, FieldDefinition } from '../../core/metadata/types.ts';

export const label = (en: string) => ({ en });

export function field(name: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return { name, type, label: label(name), ...extra };
}

/** An entity with one field of every type and each option the compiler maps. */
export function gadget(): EntityDefinition {
  return {
    name: 'gadget',
    label: { en: 'Gadget', ru: 'Гаджет' },
    titleField: 'title',
    searchable: ['title'],
    features: { owner: true, direction: true, history: true },
    fields: [
      field('title', 'text', { required: true, maxLength: 100 }),
      field('code', 'text', { pattern: '^[A-Z]{2}-[0-9]+$' }),
      field('notes', 'longtext'),
      field('rating', 'number', { min: 1, max: 5 }),
      field('headcount', 'integer', { min: 0 }),
      field('revenue', 'money', { min: 0, max: 1000000, currency: 'EUR' }),
      field('isActive', 'boolean', { required: true, default: true }),
      field('founded', 'date'),
      field('lastContact', 'datetime'),
      field('status', 'enum', { options: [{ value: 'new', label: label('New') }, { value: 'done', label: label('Done'), color: '#0a0' }] }),
      field('tags', 'multienum', { options: [{ value: 'vip', label: label('VIP') }, { value: 'key', label: label('Key') }] }),
      field('email', 'email'),
      field('phone', 'phone'),
      field('site', 'url'),
      field('parent', 'reference', { entity: 'gadget' }),
      field('related', 'references', { entity: 'gadget' }),
      field('score', 'computed', { expression: { '*': [{ var: 'rating' }, 2] }, resultType: 'number' }),
      field('extra', 'json'),
      field('legacy', 'text', { retired: true }),
      field('externalId', 'text', { readonly: true }),
    ],
  };
}
