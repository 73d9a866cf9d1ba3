/**
 * The JSON Schema of one field's value, per field type. A `Record` over
 * `FieldType`, so a new type without a handler is a compile error.
 *
 * Wire formats (what clients send and receive):
 * - money: a decimal string, "1234.50" (exact; stored as Decimal128), at
 *   most `scale` (default 2) decimals; bounds are checked exactly;
 * - date: "YYYY-MM-DD"; datetime: ISO 8601 with a time zone;
 * - reference: a 24-hex ObjectId string; references: a list of distinct ones;
 * - phone: digits, spaces, +, -, ( and ), with at least one digit;
 * - url: http or https only (a stored link is later rendered as a link);
 * - text and longtext carry a default length limit (1000 / 100000) when the
 *   field sets none, so no field is unbounded; a text field may name a
 *   format (`time-zone`: an IANA time zone name; `inn`, `kpp`, `ogrn`: Russian
 *   registration numbers with their check digits; checked in core/metadata/ajv.ts).
 */
import type { FieldDefinition, FieldType } from './types.ts';
import { DECIMAL_MAXIMUM, DECIMAL_MINIMUM } from './ajv.ts';
import { DEFAULT_MONEY_SCALE, moneyPattern } from './decimal.ts';

export type JsonSchema = { [keyword: string]: unknown };

export const OBJECT_ID_PATTERN = '^[0-9a-fA-F]{24}$';
export const PHONE_PATTERN = '^(?=.*[0-9])[0-9+() -]{3,40}$';
export const DEFAULT_TEXT_MAX_LENGTH = 1000;
export const DEFAULT_LONGTEXT_MAX_LENGTH = 100_000;
export const MAX_REFERENCES = 1000;

/** Copies only the keywords whose value is defined. */
function defined(schema: Record<string, unknown>): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([, v]) => v !== undefined));
}

const text = (f: FieldDefinition, fallbackMax: number): JsonSchema =>
  defined({ type: 'string', minLength: f.minLength, maxLength: f.maxLength ?? fallbackMax, pattern: f.pattern, format: f.format });

const optionValues = (f: FieldDefinition): string[] => (f.options ?? []).map((o) => o.value);

const VALUE_SCHEMAS: Record<FieldType, (field: FieldDefinition) => JsonSchema> = {
  text: (f) => text(f, DEFAULT_TEXT_MAX_LENGTH),
  longtext: (f) => text(f, DEFAULT_LONGTEXT_MAX_LENGTH),
  email: (f) => ({ type: 'string', format: 'email', maxLength: f.maxLength ?? 254 }),
  phone: (f) => defined({ type: 'string', pattern: PHONE_PATTERN, maxLength: f.maxLength }),
  url: (f) => ({ type: 'string', format: 'uri', pattern: '^[hH][tT][tT][pP][sS]?://', maxLength: f.maxLength ?? 2048 }),
  number: (f) => defined({ type: 'number', minimum: f.min, maximum: f.max }),
  integer: (f) => defined({ type: 'integer', minimum: f.min, maximum: f.max }),
  money: (f) => {
    const scale = f.scale ?? DEFAULT_MONEY_SCALE;
    const bounds = [f.min !== undefined ? `>= ${f.min}` : '', f.max !== undefined ? `<= ${f.max}` : ''].filter(Boolean).join(', ');
    return defined({
      type: 'string',
      pattern: moneyPattern(scale),
      description: `A decimal amount as a string with up to ${scale} decimals${f.currency ? ` in ${f.currency}` : ''}${bounds ? `, ${bounds}` : ''}.`,
      [DECIMAL_MINIMUM]: f.min,
      [DECIMAL_MAXIMUM]: f.max,
    });
  },
  boolean: () => ({ type: 'boolean' }),
  date: () => ({ type: 'string', format: 'date' }),
  datetime: () => ({ type: 'string', format: 'date-time' }),
  enum: (f) => ({ type: 'string', enum: optionValues(f) }),
  multienum: (f) => ({ type: 'array', items: { type: 'string', enum: optionValues(f) }, uniqueItems: true }),
  reference: () => ({ type: 'string', pattern: OBJECT_ID_PATTERN }),
  references: () => ({ type: 'array', items: { type: 'string', pattern: OBJECT_ID_PATTERN }, uniqueItems: true, maxItems: MAX_REFERENCES }),
  computed: (f) => (f.resultType ? { ...VALUE_SCHEMAS[f.resultType]({ ...f, type: f.resultType }), readOnly: true } : { readOnly: true }),
  json: () => ({}),
};

/** The schema a non-null value of `field` must satisfy, with its title, help and default as annotations. */
export function fieldValueSchema(field: FieldDefinition, options: { withDefault?: boolean } = {}): JsonSchema {
  const value = VALUE_SCHEMAS[field.type](field);
  const description = [field.help?.en, value.description].filter((d) => typeof d === 'string').join(' ');
  return defined({
    title: field.label.en,
    ...value,
    description: description || undefined,
    default: options.withDefault ? field.default : undefined,
  });
}

/** The same schema also accepting null (a cleared value). */
export function nullable(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (typeof out.type === 'string') out.type = [out.type, 'null'];
  if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  return out;
}
