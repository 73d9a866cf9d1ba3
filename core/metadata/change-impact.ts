/**
 * Which stored records a field change would make invalid, as a MongoDB
 * filter the store can `countDocuments()` before applying the change (and
 * refuse unless forced). Pure: builds a plain object, runs nothing.
 *
 * Only what the change tightens is checked, so records that were already
 * invalid do not block an unrelated change:
 * - became required: the value is missing or null;
 * - new storage type: a value of another BSON type (arrays for scalars, and
 *   elements of the wrong type for multienum/references);
 * - a new format on the same strings (email, url, phone, enum): values that
 *   do not match it;
 * - narrower min/max, minLength/maxLength, a new pattern, removed options,
 *   another reference target.
 * Not checked (the database cannot express it cheaply): money scale, integer
 * values stored as doubles above 2^31, uniqueness (the unique index build
 * reports duplicates). Adding a field, retiring one, relabelling, or turning
 * a field computed (values are recomputed) never invalidates records.
 */
import type { Document, Filter } from 'mongodb';
import { fieldValueSchema, PHONE_PATTERN } from './field-schema.ts';
import type { FieldDefinition, FieldType } from './types.ts';

type Condition = Record<string, unknown>;

/** BSON types each field type is stored as (`$type` aliases); json holds anything. */
const STORED_AS: Record<FieldType, string[] | undefined> = {
  text: ['string'],
  longtext: ['string'],
  email: ['string'],
  phone: ['string'],
  url: ['string'],
  enum: ['string'],
  number: ['double', 'int', 'long', 'decimal'],
  integer: ['int', 'long'],
  money: ['decimal'],
  boolean: ['bool'],
  date: ['date'],
  datetime: ['date'],
  reference: ['objectId'],
  references: ['objectId'],
  multienum: ['string'],
  computed: undefined,
  json: undefined,
};
const IS_LIST: ReadonlySet<FieldType> = new Set<FieldType>(['multienum', 'references']);

/** Regexes (as strings, for `$regex`) a value of these string types must match. */
const FORMATS: Partial<Record<FieldType, string>> = {
  email: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  url: '^[hH][tT][tT][pP][sS]?://',
  phone: PHONE_PATTERN,
};

export function changeImpactFilter(before: FieldDefinition, after: FieldDefinition): Filter<Document> | undefined {
  if (after.type === 'computed' || after.retired) return undefined;
  const conditions: Condition[] = [];
  const isNewType = storage(before) !== storage(after) || IS_LIST.has(before.type) !== IS_LIST.has(after.type);
  if (after.required && (!before.required || before.retired)) conditions.push({ $eq: null });
  if (isNewType) conditions.push(...typeConditions(after));
  conditions.push(...formatConditions(before, after, isNewType));
  conditions.push(...boundConditions(before, after, isNewType));
  if (conditions.length === 0) return undefined;
  const clauses = conditions.map((condition) => ({ [after.name]: condition }));
  return clauses.length === 1 ? clauses[0] : { $or: clauses };
}

function storage(field: FieldDefinition): string {
  return (STORED_AS[field.type] ?? ['*']).join(',');
}

/** Present values that are not stored as the new type. */
function typeConditions(after: FieldDefinition): Condition[] {
  const types = STORED_AS[after.type];
  if (!types) return [];
  if (IS_LIST.has(after.type)) {
    return [{ $ne: null, $not: { $type: 'array' } }, { $elemMatch: { $not: { $type: types } } }];
  }
  // `$type` on an array matches its elements, so arrays are caught on their own.
  return [{ $type: 'array' }, { $ne: null, $not: { $type: types } }];
}

/** Strings that do not fit a format, pattern or option list that is new or changed. */
function formatConditions(before: FieldDefinition, after: FieldDefinition, isNewType: boolean): Condition[] {
  const out: Condition[] = [];
  const format = FORMATS[after.type];
  if (format && (isNewType || before.type !== after.type)) out.push({ $type: 'string', $not: { $regex: format } });
  if (after.pattern !== undefined && (isNewType || after.pattern !== before.pattern)) out.push({ $type: 'string', $not: { $regex: after.pattern } });
  if (after.type === 'enum' || after.type === 'multienum') {
    const values = (after.options ?? []).map((o) => o.value);
    const previous = new Set((before.type === after.type ? before.options ?? [] : []).map((o) => o.value));
    const isNarrower = before.type !== after.type || [...previous].some((v) => !values.includes(v));
    if (isNarrower) out.push(after.type === 'enum' ? { $type: 'string', $nin: values } : { $elemMatch: { $type: 'string', $nin: values } });
  }
  if ((after.type === 'reference' || after.type === 'references') && before.entity !== undefined && before.entity !== after.entity && !isNewType) {
    out.push({ $ne: null }); // every stored id points into the old target
  }
  return out;
}

/** The length limit the compiled schema applies (fields without one get a default per type). */
const effectiveMaxLength = (f: FieldDefinition): number | undefined => {
  const max = fieldValueSchema(f).maxLength;
  return typeof max === 'number' ? max : undefined;
};

/** Values outside a range or length that got narrower. */
function boundConditions(before: FieldDefinition, after: FieldDefinition, isNewType: boolean): Condition[] {
  const out: Condition[] = [];
  const isNumeric = after.type === 'number' || after.type === 'integer' || after.type === 'money';
  if (isNumeric && after.min !== undefined && (isNewType || before.min === undefined || after.min > before.min)) out.push({ $lt: after.min });
  if (isNumeric && after.max !== undefined && (isNewType || before.max === undefined || after.max < before.max)) out.push({ $gt: after.max });
  const isText = STORED_AS[after.type]?.[0] === 'string' && !IS_LIST.has(after.type);
  if (!isText) return out;
  const max = effectiveMaxLength(after);
  const oldMax = isNewType ? undefined : effectiveMaxLength(before);
  if (max !== undefined && (oldMax === undefined || max < oldMax)) out.push({ $regex: `^[\\s\\S]{${max + 1}}` });
  const min = after.minLength;
  if (min !== undefined && min > 0 && (isNewType || before.minLength === undefined || min > before.minLength)) {
    out.push({ $type: 'string', $not: { $regex: `^[\\s\\S]{${min}}` } });
  }
  return out;
}
