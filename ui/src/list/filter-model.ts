/**
 * The list's filter panel state, per field, turned into the API's query
 * filter (a JSON object in MongoDB syntax; never a string built by hand):
 * text "contains" → `$regex` with the input escaped and `$options: "i"`;
 * number, money and date ranges → `$gte`/`$lte`; enums → `$in`; a reference
 * or boolean → equality. Pure, so it is unit-tested directly.
 */
import type { FieldDefinition, FieldType } from '../../../core/metadata/types.ts';

export type FilterKind = 'text' | 'number' | 'money' | 'date' | 'datetime' | 'enum' | 'boolean' | 'reference' | 'none';

export interface FieldFilter {
  contains?: string;
  min?: string;
  max?: string;
  in?: string[];
  is?: 'true' | 'false';
  ref?: { id: string; title: string };
}

export type FilterState = Record<string, FieldFilter>;

const KINDS: Record<FieldType, FilterKind> = {
  text: 'text',
  longtext: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  number: 'number',
  integer: 'number',
  money: 'money',
  date: 'date',
  datetime: 'datetime',
  enum: 'enum',
  multienum: 'enum',
  boolean: 'boolean',
  reference: 'reference',
  references: 'reference',
  computed: 'none',
  json: 'none',
};

export function filterKind(field: FieldDefinition): FilterKind {
  if (field.type === 'computed') return field.resultType ? KINDS[field.resultType] : 'none';
  return KINDS[field.type];
}

/** Escapes every regex metacharacter: the user's text is matched literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** `YYYY-MM-DD` in the browser's zone → the instant it starts (or the last millisecond of it). */
function dayBound(day: string, isEnd: boolean): string | undefined {
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  if (isEnd) date.setDate(date.getDate() + 1);
  return new Date(date.getTime() - (isEnd ? 1 : 0)).toISOString();
}

function rangeValue(kind: FilterKind, raw: string, isEnd: boolean): unknown {
  const text = raw.trim();
  if (text === '') return undefined;
  if (kind === 'number') {
    const n = Number(text.replace(',', '.'));
    return Number.isFinite(n) ? n : undefined;
  }
  if (kind === 'money') return /^-?\d+([.,]\d+)?$/.test(text) ? text.replace(',', '.') : undefined;
  if (kind === 'datetime') return dayBound(text, isEnd);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : undefined;
}

export function fieldCondition(field: FieldDefinition, filter: FieldFilter): Record<string, unknown> | undefined {
  const kind = filterKind(field);
  switch (kind) {
    case 'text': {
      const text = filter.contains?.trim();
      return text ? { $regex: escapeRegex(text.slice(0, 200)), $options: 'i' } : undefined;
    }
    case 'number':
    case 'money':
    case 'date':
    case 'datetime': {
      const min = filter.min === undefined ? undefined : rangeValue(kind, filter.min, false);
      const max = filter.max === undefined ? undefined : rangeValue(kind, filter.max, true);
      if (min === undefined && max === undefined) return undefined;
      return { ...(min !== undefined ? { $gte: min } : {}), ...(max !== undefined ? { $lte: max } : {}) };
    }
    case 'enum':
      return filter.in && filter.in.length > 0 ? { $in: filter.in } : undefined;
    case 'boolean':
      return filter.is ? { $eq: filter.is === 'true' } : undefined;
    case 'reference':
      return filter.ref ? { $eq: filter.ref.id } : undefined;
    case 'none':
      return undefined;
  }
}

/** The query filter for the whole panel, or undefined when nothing is set. */
export function buildFilter(fields: FieldDefinition[], state: FilterState): Record<string, unknown> | undefined {
  const parts: Record<string, unknown> = {};
  for (const field of fields) {
    const filter = state[field.name];
    if (!filter) continue;
    const condition = fieldCondition(field, filter);
    if (condition) parts[field.name] = condition;
  }
  return Object.keys(parts).length > 0 ? parts : undefined;
}
