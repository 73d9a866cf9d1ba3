/**
 * Full-text search over an entity's searchable fields without a text index:
 * each record stores its normalized words in a hidden `_search` array (with a
 * multikey index), and `q` becomes anchored prefix regexes over it, which
 * MongoDB answers from that index. Normalization is case- and
 * accent-insensitive and the same on both sides: `Ёлка` and `елка` meet,
 * `Crème` and `creme` meet, `й` stays `й` (it is a letter of its own in
 * Russian, not an accented `и`; only the query and the index must agree).
 */
import { Decimal128 } from 'mongodb';
import type { EntityDefinition, FieldDefinition } from '../metadata/types.ts';
import { queryInvalid } from '../shared/errors.ts';

/** The hidden record field holding the search tokens. */
export const SEARCH_FIELD = '_search';
/** Longer words are cut; the query side cuts the same way, so prefixes still meet. */
export const MAX_TOKEN_LENGTH = 64;
/** Tokens kept per record (long texts are indexed by their first distinct words). */
export const MAX_RECORD_TOKENS = 500;
export const MAX_QUERY_TOKENS = 10;

const NON_WORD = /[^\p{L}\p{N}]+/u;
const COMBINING_MARKS = /\p{M}/gu;
// A value written like a phone number: digit groups and phone punctuation only.
const PHONE_LIKE = /^[\d\s()+\-./]+$/;

/** Lower-case, compatibility-decomposed, accents stripped; `ё`→`е`, `й` kept, `ß`→`ss`. */
export function normalizeText(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/и\u0306/g, 'й') // NFKD splits й into и + breve; put it back before marks go
    .replace(COMBINING_MARKS, '')
    .replace(/ß/g, 'ss');
}

/** The normalized words of `s`, in order, each at most MAX_TOKEN_LENGTH characters. */
export function tokenize(s: string): string[] {
  return normalizeText(s)
    .split(NON_WORD)
    .filter((t) => t !== '')
    .map((t) => t.slice(0, MAX_TOKEN_LENGTH));
}

/** The entity's searchable fields: those named in `searchable` and those flagged `searchable`, live ones only. */
export function searchableFields(entity: EntityDefinition): FieldDefinition[] {
  const names = new Set([...(entity.searchable ?? []), ...entity.fields.filter((f) => f.searchable).map((f) => f.name)]);
  return entity.fields.filter((f) => names.has(f.name) && !f.retired);
}

/** The texts a field value contributes: strings and numbers, and for enums the option labels too. */
function textsOf(field: FieldDefinition, value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  const texts: string[] = [];
  for (const v of values) {
    if (typeof v === 'string') texts.push(v);
    else if (typeof v === 'number' && Number.isFinite(v)) texts.push(String(v));
    else if (v instanceof Decimal128) texts.push(v.toString());
    else continue;
    const option = field.options?.find((o) => o.value === v);
    if (option) texts.push(...Object.values(option.label).filter((l): l is string => typeof l === 'string'));
  }
  return texts;
}

/**
 * The tokens to store in `_search` for `record`: the distinct normalized
 * words of its searchable fields. A phone-like value also gives its digits
 * joined (`+7 (495) 123-45-67` → `74951234567`) so it is found when typed
 * without spaces.
 */
export function searchTokens(record: Record<string, unknown>, fields: readonly FieldDefinition[]): string[] {
  const tokens = new Set<string>();
  for (const field of fields) {
    if (field.type === 'reference' || field.type === 'references' || field.type === 'json') continue;
    for (const text of textsOf(field, record[field.name])) {
      for (const t of tokenize(text)) tokens.add(t);
      if (PHONE_LIKE.test(text) && /\d\D+\d/.test(text)) tokens.add(text.replace(/\D/g, '').slice(0, MAX_TOKEN_LENGTH));
      if (tokens.size >= MAX_RECORD_TOKENS) return [...tokens].slice(0, MAX_RECORD_TOKENS);
    }
  }
  return [...tokens];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The condition for `q`: records having, for every query word, a token that
 * starts with it. Undefined when `q` has no words (then it does not filter).
 * Longest words first: MongoDB bounds its index scan by the first one.
 */
export function searchFilter(q: string): Record<string, unknown> | undefined {
  const words = [...new Set(tokenize(q))].sort((a, b) => b.length - a.length);
  // A word that starts another query word adds nothing: that word's token already matches it.
  const needed = words.filter((w) => !words.some((other) => other !== w && other.startsWith(w)));
  if (needed.length === 0) return undefined;
  if (needed.length > MAX_QUERY_TOKENS) {
    throw queryInvalid('The search has too many words', [{ path: '/q', message: `must have at most ${MAX_QUERY_TOKENS} words` }]);
  }
  return { [SEARCH_FIELD]: { $all: needed.map((w) => new RegExp(`^${escapeRegex(w)}`)) } };
}
