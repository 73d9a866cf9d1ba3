/**
 * The metadata model: what an administrator defines as JSON and the platform
 * interprets at run time. The meta-schemas under `metadata/schema/` are the
 * authority on shape; these types mirror them for the compiler.
 */

export type Locale = 'en' | 'ru';
/** Localized text: at least `en`; other locales optional. */
export type LocalizedText = { en: string } & Partial<Record<Locale, string>>;

export const FIELD_TYPES = [
  'text',
  'longtext',
  'number',
  'integer',
  'money',
  'boolean',
  'date',
  'datetime',
  'enum',
  'multienum',
  'email',
  'phone',
  'url',
  'reference',
  'references',
  'computed',
  'json',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface EnumOption {
  value: string;
  label: LocalizedText;
  color?: string;
}

/** json-logic expression, kept as plain JSON (no code strings, ever). */
export type JsonLogic = unknown;

export interface FieldDefinition {
  name: string;
  type: FieldType;
  label: LocalizedText;
  help?: LocalizedText;
  required?: boolean;
  default?: unknown;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** enum / multienum */
  options?: EnumOption[];
  /** reference / references: target entity name */
  entity?: string;
  /** computed: json-logic over the record */
  expression?: JsonLogic;
  /** computed: the type of the computed value (for schema, sort, filter) */
  resultType?: Exclude<FieldType, 'computed' | 'reference' | 'references'>;
  /** money: ISO currency code when fixed for the field */
  currency?: string;
  searchable?: boolean;
  unique?: boolean;
  indexed?: boolean;
  readonly?: boolean;
  /** retired fields keep their data but are hidden from forms and refused on write */
  retired?: boolean;
}

export interface EntityFeatures {
  owner?: boolean;
  direction?: boolean;
  history?: boolean;
  /** name of the pipeline the entity moves through */
  pipeline?: string;
}

export interface IndexDefinition {
  /** field name -> 1 | -1 */
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  name?: string;
}

export interface EntityDefinition {
  name: string;
  label: LocalizedText;
  pluralLabel?: LocalizedText;
  description?: LocalizedText;
  fields: FieldDefinition[];
  titleField?: string;
  searchable?: string[];
  features?: EntityFeatures;
  indexes?: IndexDefinition[];
  /** system entities (user, …) are shipped by the platform and cannot be dropped */
  system?: boolean;
  /** metadata bookkeeping, maintained by the platform */
  revision?: number;
}

/** Field names the platform owns on every record; clients can never write them. */
export const SYSTEM_FIELDS = ['_id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version'] as const;
/** Field names the platform adds when the matching feature is on. */
export const FEATURE_FIELDS = ['owner', 'direction', 'stage'] as const;
