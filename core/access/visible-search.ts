/**
 * Full-text search (`q`) for a caller who may not read some searchable
 * field. The `_search` token array mixes every searchable field, so matching
 * it would reveal hidden values (a hit on a word only the hidden field
 * holds). Such callers search the fields they may read instead: each word as
 * a case-insensitive, escaped substring of one of those fields. Slower (no
 * token index) and without accent folding, but it reveals nothing.
 */
import type { EntityDefinition, FieldType } from '../metadata/types.ts';
import type { MongoFilter } from '../query/parse-filter.ts';
import { MAX_QUERY_TOKENS, searchableFields } from '../search/normalize.ts';

const TEXT_TYPES: ReadonlySet<FieldType> = new Set(['text', 'longtext', 'email', 'phone', 'url']);
const MAX_WORD_LENGTH = 64;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** undefined when no searchable field is hidden (the token index then answers). */
export function visibleSearchFilter(entity: EntityDefinition, hidden: ReadonlySet<string>, q: string): MongoFilter | undefined {
  const searchable = searchableFields(entity);
  if (!searchable.some((field) => hidden.has(field.name))) return undefined;
  const visible = searchable.filter((field) => !hidden.has(field.name) && TEXT_TYPES.has(field.type)).map((field) => field.name);
  const words = q.split(/\s+/).filter(Boolean).slice(0, MAX_QUERY_TOKENS).map((word) => word.slice(0, MAX_WORD_LENGTH));
  if (words.length === 0) return undefined;
  if (visible.length === 0) return { _id: { $exists: false } };
  return { $and: words.map((word) => ({ $or: visible.map((name) => ({ [name]: { $regex: escapeRegex(word), $options: 'i' } })) })) };
}
