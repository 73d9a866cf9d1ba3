/**
 * The metadata model: what an administrator defines as JSON and the platform
 * interprets at run time. The meta-schemas under `metadata/schema/` are the
 * authority on shape; these types mirror them for the compiler.
 */
import type { RussianIdFormat } from './russian-ids.ts';

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

/** The types a computed field may produce (scalars: stored, filtered, sorted). */
export const COMPUTED_RESULT_TYPES = [
  'text',
  'longtext',
  'number',
  'integer',
  'money',
  'boolean',
  'date',
  'datetime',
  'enum',
  'email',
  'phone',
  'url',
] as const satisfies readonly FieldType[];
export type ComputedResultType = (typeof COMPUTED_RESULT_TYPES)[number];

/** json-logic expression, kept as plain JSON (no code strings, ever). */
export type JsonLogic = unknown;

export type TextFormat = 'time-zone' | RussianIdFormat;

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
  /** text: a named format the value must have (`time-zone`: an IANA time zone name; `inn`, `kpp`, `ogrn`: Russian registration numbers with their check digits) */
  format?: TextFormat;
  /** enum / multienum */
  options?: EnumOption[];
  /** reference / references: target entity name */
  entity?: string;
  /** computed: json-logic over the record */
  expression?: JsonLogic;
  /** computed: the type of the computed value (for schema, sort, filter) */
  resultType?: ComputedResultType;
  /** money: ISO currency code when fixed for the field */
  currency?: string;
  /** money: digits after the decimal point (default 2) */
  scale?: number;
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

/** A next contact proposed after an item is completed: its type and when, counted from the completion. */
export interface FollowUpRule {
  /** type of the proposed item (a value of the timeline's typeField); default: the completed item's type */
  type?: string;
  /** calendar days after the completion */
  days?: number;
  /** working days (Monday to Friday) after the completion */
  businessDays?: number;
  /** local time of day "HH:MM" in the follow-up time zone; default: the completion's time of day */
  time?: string;
}

/** Completing a timeline item and proposing the next contact (`POST …/:id/complete`, `…/:id/next`). */
export interface FollowUpOptions {
  /** reference to the same entity, set on the next item to the one it follows */
  linkField: string;
  /** text field holding the outcome */
  resultField?: string;
  /** date/datetime field set to the completion time when a done status is recorded without it */
  completedAtField?: string;
  /** fields copied from the completed item into the proposal (owner and direction allowed) */
  carry?: string[];
  /** put before the completed item's title to make the proposal's title */
  titlePrefix?: LocalizedText;
  /** IANA time zone in which working days and times are counted (default UTC) */
  timeZone?: string;
  /** per value of the timeline's typeField */
  rules?: Record<string, FollowUpRule>;
  /** for types without a rule; absent: no proposal for them */
  default?: FollowUpRule;
}

/** Records of the entity appear in the timelines of the records they reference. */
export interface TimelineOptions {
  /** date or datetime field placing an item on the timeline (newest first) */
  dateField: string;
  /** enum field giving an item's type; absent: the entity name is the type */
  typeField?: string;
  /** the responsible user: `owner`, `createdBy` or a reference field */
  actorField?: string;
  /** enum field of an item's state */
  statusField?: string;
  /** statusField values of items still to be done (planned) */
  openStatuses?: string[];
  /** statusField values of items that took place (held) */
  doneStatuses?: string[];
  /** date/datetime field: when an open item is due (overdue once past); default dateField */
  dueField?: string;
  followUp?: FollowUpOptions;
}

/** A related list of a summary page: records of `entity` whose `via` reference points at the record. */
export interface SummaryRelatedList {
  entity: string;
  via: string;
  /** reference fields of `entity` to embed */
  expand?: string[];
  /** one of `expand`: also list the other records of `entity` that share this reference (a person's other employments) */
  siblings?: string;
  /** date field ending a relation: a record whose end is past counts as former */
  endField?: string;
  /** sort of the list, e.g. "-startDate" (default "-createdAt") */
  sort?: string;
  /** at most this many records per list (default 100); counts are always complete */
  limit?: number;
  label?: LocalizedText;
}

/** The client summary page (`GET /api/v1/summary/:entity/:id`). */
export interface SummaryOptions {
  /** key attributes, shown with their labels */
  fields?: string[];
  related?: SummaryRelatedList[];
}

/** Duplicate control on create and the duplicates endpoint. */
export interface DuplicateOptions {
  /** text, email or phone fields compared after normalisation (digits-only phones, lower-case e-mails) */
  keys?: string[];
  /** text field whose values are compared by similarity */
  similarName?: string;
  /** similarity from which names count as similar (0.5 to 1, default 0.85) */
  threshold?: number;
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
  timeline?: TimelineOptions;
  summary?: SummaryOptions;
  duplicates?: DuplicateOptions;
  /** system entities (user, …) are shipped by the platform and cannot be dropped */
  system?: boolean;
  /** metadata bookkeeping, maintained by the platform */
  revision?: number;
}

/** Field names the platform owns on every record; clients can never write them. */
export const SYSTEM_FIELDS = ['_id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version'] as const;
/** Field names the platform adds when the matching feature is on. */
export const FEATURE_FIELDS = ['owner', 'direction', 'stage'] as const;

/** Metadata documents other than entities; their meta-schemas are in `metadata/schema/`. */

export interface DirectionDefinition {
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  /** inactive directions take no new records (default true) */
  isActive?: boolean;
  revision?: number;
}

export const ROLE_ACTIONS = ['read', 'create', 'update', 'delete', 'import', 'export', 'transition'] as const;
export type RoleAction = (typeof ROLE_ACTIONS)[number];

export interface FieldRestriction {
  read?: boolean;
  write?: boolean;
}

/** Short form: the actions; long form: actions limited to own records and per-field restrictions. */
export type EntityPermission =
  | RoleAction[]
  | {
      actions: RoleAction[];
      /** only records the user owns ("owner") or a member of the user's team owns ("team") */
      own?: 'owner' | 'team';
      fields?: Record<string, FieldRestriction>;
    };

export interface RoleDefinition {
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  isAdmin?: boolean;
  allDirections?: boolean;
  /** entity name, or "*" for every entity */
  permissions: Record<string, EntityPermission>;
  revision?: number;
}

/** A condition a record must meet to enter a stage (json-logic over the record); `message` says why not. */
export interface StageGuard {
  condition: JsonLogic;
  message: LocalizedText;
  /** the field the refusal is about (its error path); absent: `/stage` */
  field?: string;
}

export interface StageDefinition {
  name: string;
  label: LocalizedText;
  color?: string;
  probability?: number;
  kind: 'open' | 'won' | 'lost';
  requiredFields?: string[];
  /** stages reachable from this one; absent: any other stage */
  next?: string[];
  targetDwellDays?: number;
  /** all must hold for a record to enter the stage (manual or by a rule) */
  guards?: StageGuard[];
}

export interface PipelineDefinition {
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  entity: string;
  /** the first stage is where new records start */
  stages: StageDefinition[];
  /** number or money field summed per stage on boards (and weighted by probability) */
  amountField?: string;
  revision?: number;
}

export type RuleTrigger =
  | { kind: 'record'; on: Array<'create' | 'update' | 'delete' | 'stageChange'>; fields?: string[] }
  | { kind: 'activity'; on: Array<'create' | 'complete'>; activityTypes?: string[] }
  | { kind: 'schedule'; cron: string; timezone?: string };

export type RuleAction =
  | { kind: 'moveToStage'; stage: string }
  | { kind: 'setField'; field: string; value?: unknown; expression?: JsonLogic }
  | { kind: 'createActivity'; activityType: string; subject: LocalizedText; dueInDays?: number; assignTo?: 'owner' | 'creator' }
  | { kind: 'notify'; to: string[]; message: LocalizedText; channel?: 'inApp' | 'email' };

export interface RuleDefinition {
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  entity: string;
  trigger: RuleTrigger;
  /** json-logic over the record; absent: always */
  condition?: JsonLogic;
  actions: RuleAction[];
  /** default true */
  enabled?: boolean;
  /** ascending order among rules of one trigger (default 0) */
  priority?: number;
  /** activity triggers: act on related records in other business directions too (default false) */
  crossDirections?: boolean;
  revision?: number;
}
