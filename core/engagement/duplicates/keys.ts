/**
 * The duplicate keys of a record, from its entity's `duplicates` option,
 * stored in the hidden `_dupKeys` array (multikey-indexed) on every write so
 * candidates are found by index, never by scanning:
 * - `=phone:74951234567`, `=email:info@acme.ru`: phones and e-mails compare
 *   across every key field of their type (a new `phone` meets an old
 *   `phone2`);
 * - `=taxId:7707083893`: other texts compare within their own field;
 * - `~ромашка`, `^рома`: the words of the similar-name field and their
 *   four-letter beginnings, to fetch name candidates that are then scored.
 */
import type { EntityDefinition, FieldDefinition } from '../../metadata/types.ts';
import { nameTokens, normalizeCode, normalizeEmail, normalizePhone } from './normalize.ts';

export const DUPLICATE_KEYS_FIELD = '_dupKeys';
const PREFIX_LENGTH = 4;
const MAX_NAME_TOKENS = 8;

export interface ExactKey {
  /** the key field it came from */
  field: string;
  key: string;
}

const typeOf = (field: FieldDefinition) => (field.type === 'computed' ? field.resultType : field.type);

function keyOf(field: FieldDefinition, value: string): string | undefined {
  const type = typeOf(field);
  if (type === 'phone') {
    const phone = normalizePhone(value);
    return phone && `=phone:${phone}`;
  }
  if (type === 'email') {
    const email = normalizeEmail(value);
    return email && `=email:${email}`;
  }
  const code = normalizeCode(value);
  return code && `=${field.name}:${code}`;
}

/** The exact keys of a record (stored or JSON form), with the field each came from. */
export function exactKeys(entity: EntityDefinition, record: Readonly<Record<string, unknown>>): ExactKey[] {
  const keys: ExactKey[] = [];
  for (const name of entity.duplicates?.keys ?? []) {
    const field = entity.fields.find((f) => f.name === name && !f.retired);
    const value = record[name];
    if (!field || typeof value !== 'string') continue;
    const key = keyOf(field, value);
    if (key) keys.push({ field: name, key });
  }
  return keys;
}

/** The name keys of a record: its identifying words and their beginnings. */
export function nameKeys(entity: EntityDefinition, record: Readonly<Record<string, unknown>>): string[] {
  const name = entity.duplicates?.similarName;
  const value = name === undefined ? undefined : record[name];
  if (typeof value !== 'string') return [];
  const tokens = nameTokens(value).filter((t) => t.length >= 2).slice(0, MAX_NAME_TOKENS);
  return [...new Set([...tokens.map((t) => `~${t}`), ...tokens.filter((t) => t.length >= PREFIX_LENGTH).map((t) => `^${t.slice(0, PREFIX_LENGTH)}`)])];
}

/** Everything stored in `_dupKeys`; undefined for entities without duplicate control. */
export function duplicateKeys(entity: EntityDefinition, record: Readonly<Record<string, unknown>>): string[] | undefined {
  if (!entity.duplicates) return undefined;
  return [...new Set([...exactKeys(entity, record).map((k) => k.key), ...nameKeys(entity, record)])];
}
