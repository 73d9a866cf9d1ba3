/**
 * Cross-checks of an entity's engagement options — `timeline`, `summary`,
 * `duplicates` — against its fields and the other entities. The meta-schema
 * has checked their shape; here every field name must name a live field of
 * a fitting type. Pure: returns errors, never throws.
 */
import type { FieldError } from '../shared/errors.ts';
import { platformFieldNames } from './reserved-names.ts';
import type { EntityDefinition, FieldDefinition, FieldType, FollowUpRule, SummaryRelatedList, TimelineOptions } from './types.ts';

type Lookup = (entity: EntityDefinition, name: string) => FieldDefinition | undefined;

const DATES: ReadonlySet<FieldType> = new Set<FieldType>(['date', 'datetime']);
const KEY_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['text', 'email', 'phone']);
const TEXTS: ReadonlySet<FieldType> = new Set<FieldType>(['text', 'longtext']);
/** Platform date fields usable as a timeline date. */
const PLATFORM_DATES = new Set(['createdAt', 'updatedAt']);
const PLATFORM_USERS = new Set(['createdBy', 'updatedBy']);

const valueType = (f: FieldDefinition): FieldType => (f.type === 'computed' ? (f.resultType ?? 'computed') : f.type);
const live: Lookup = (entity, name) => entity.fields.find((f) => f.name === name && !f.retired);

function optionValues(field: FieldDefinition | undefined): Set<string> | undefined {
  return field && (field.type === 'enum' || field.type === 'computed') && field.options ? new Set(field.options.map((o) => o.value)) : undefined;
}

export function entityOptionErrors(entity: EntityDefinition, entities: ReadonlyMap<string, EntityDefinition>): FieldError[] {
  return [
    ...(entity.timeline ? timelineErrors(entity, entity.timeline) : []),
    ...summaryErrors(entity, entities),
    ...duplicateErrors(entity),
  ];
}

function dateFieldError(entity: EntityDefinition, name: string, path: string, allowPlatform: boolean): FieldError | undefined {
  if (allowPlatform && PLATFORM_DATES.has(name)) return undefined;
  const field = live(entity, name);
  if (!field) return { path, message: `names no field of the entity ("${name}")` };
  if (!DATES.has(valueType(field))) return { path, message: `must name a date or datetime field; "${name}" is ${valueType(field)}` };
  return undefined;
}

function timelineErrors(entity: EntityDefinition, options: TimelineOptions): FieldError[] {
  const errors: FieldError[] = [];
  const push = (error: FieldError | undefined) => error && errors.push(error);
  push(dateFieldError(entity, options.dateField, '/timeline/dateField', true));
  if (options.dueField !== undefined) push(dateFieldError(entity, options.dueField, '/timeline/dueField', false));
  const typeField = options.typeField === undefined ? undefined : live(entity, options.typeField);
  if (options.typeField !== undefined && (!typeField || valueType(typeField) !== 'enum')) {
    errors.push({ path: '/timeline/typeField', message: `must name an enum field of the entity ("${options.typeField}")` });
  }
  if (options.actorField !== undefined) {
    const name = options.actorField;
    const isPlatform = PLATFORM_USERS.has(name) || (name === 'owner' && entity.features?.owner === true);
    const field = live(entity, name);
    if (!isPlatform && (!field || field.type !== 'reference')) {
      errors.push({ path: '/timeline/actorField', message: `must be owner (with the owner feature), createdBy, updatedBy or a reference field ("${name}")` });
    }
  }
  const statusField = options.statusField === undefined ? undefined : live(entity, options.statusField);
  const statuses = optionValues(statusField);
  if (options.statusField !== undefined && (!statusField || valueType(statusField) !== 'enum' || !statuses)) {
    errors.push({ path: '/timeline/statusField', message: `must name an enum field of the entity ("${options.statusField}")` });
  } else if (statuses) {
    for (const key of ['openStatuses', 'doneStatuses'] as const) {
      (options[key] ?? []).forEach((value, i) => {
        if (!statuses.has(value)) errors.push({ path: `/timeline/${key}/${i}`, message: `is not an option of "${options.statusField}"` });
      });
    }
    const both = (options.openStatuses ?? []).filter((value) => (options.doneStatuses ?? []).includes(value));
    if (both.length > 0) errors.push({ path: '/timeline/doneStatuses', message: `a status cannot be open and done (${both.join(', ')})` });
  }
  if (options.followUp) errors.push(...followUpErrors(entity, options, optionValues(typeField)));
  return errors;
}

function followUpErrors(entity: EntityDefinition, options: TimelineOptions, types: Set<string> | undefined): FieldError[] {
  const followUp = options.followUp!;
  const errors: FieldError[] = [];
  const at = '/timeline/followUp';
  const link = live(entity, followUp.linkField);
  if (!link || link.type !== 'reference' || link.entity !== entity.name) {
    errors.push({ path: `${at}/linkField`, message: `must name a reference field to ${entity.name} ("${followUp.linkField}")` });
  }
  const dueName = options.dueField ?? options.dateField;
  const due = live(entity, dueName);
  if (!due || !DATES.has(due.type)) errors.push({ path: `${at}`, message: `the next item's date goes in "${dueName}" (timeline.dueField, else dateField), which must be a writable date or datetime field` });
  if (followUp.resultField !== undefined) {
    const field = live(entity, followUp.resultField);
    if (!field || field.type === 'computed' || !TEXTS.has(field.type)) errors.push({ path: `${at}/resultField`, message: `must name a text field of the entity ("${followUp.resultField}")` });
  }
  if (followUp.completedAtField !== undefined) {
    const field = live(entity, followUp.completedAtField);
    if (!field || !DATES.has(field.type)) errors.push({ path: `${at}/completedAtField`, message: `must name a writable date or datetime field ("${followUp.completedAtField}")` });
  }
  const platform = new Set<string>(platformFieldNames(entity.features).filter((name) => name === 'owner' || name === 'direction'));
  (followUp.carry ?? []).forEach((name, i) => {
    const field = live(entity, name);
    if (!platform.has(name) && (!field || field.type === 'computed' || field.readonly)) {
      errors.push({ path: `${at}/carry/${i}`, message: `must name a writable field of the entity ("${name}")` });
    }
  });
  if (followUp.timeZone !== undefined && !isTimeZone(followUp.timeZone)) errors.push({ path: `${at}/timeZone`, message: `is not a known time zone ("${followUp.timeZone}")` });
  const checkRule = (rule: FollowUpRule, path: string) => {
    if (rule.type !== undefined && types && !types.has(rule.type)) errors.push({ path: `${path}/type`, message: `is not an option of "${options.typeField}"` });
    if (rule.type !== undefined && !types) errors.push({ path: `${path}/type`, message: 'needs timeline.typeField' });
  };
  for (const [type, rule] of Object.entries(followUp.rules ?? {})) {
    const path = `${at}/rules/${type.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (types && !types.has(type)) errors.push({ path, message: `"${type}" is not an option of "${options.typeField}"` });
    checkRule(rule, path);
  }
  if (followUp.default) checkRule(followUp.default, `${at}/default`);
  return errors;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function summaryErrors(entity: EntityDefinition, entities: ReadonlyMap<string, EntityDefinition>): FieldError[] {
  const summary = entity.summary;
  if (!summary) return [];
  const errors: FieldError[] = [];
  const platform = new Set([...platformFieldNames(entity.features)]);
  (summary.fields ?? []).forEach((name, i) => {
    if (!platform.has(name) && !live(entity, name)) errors.push({ path: `/summary/fields/${i}`, message: `names no field of the entity ("${name}")` });
  });
  (summary.related ?? []).forEach((list, i) => errors.push(...relatedErrors(entity, list, `/summary/related/${i}`, entities)));
  return errors;
}

function relatedErrors(entity: EntityDefinition, list: SummaryRelatedList, at: string, entities: ReadonlyMap<string, EntityDefinition>): FieldError[] {
  const related = list.entity === entity.name ? entity : entities.get(list.entity);
  if (!related) return [{ path: `${at}/entity`, message: `names an unknown entity "${list.entity}"` }];
  const errors: FieldError[] = [];
  const via = live(related, list.via);
  if (!via || (via.type !== 'reference' && via.type !== 'references') || via.entity !== entity.name) {
    errors.push({ path: `${at}/via`, message: `must name a reference field of ${related.name} pointing to ${entity.name} ("${list.via}")` });
  }
  (list.expand ?? []).forEach((name, i) => {
    const field = live(related, name);
    if (!field || (field.type !== 'reference' && field.type !== 'references')) errors.push({ path: `${at}/expand/${i}`, message: `must name a reference field of ${related.name} ("${name}")` });
  });
  if (list.siblings !== undefined) {
    if (!(list.expand ?? []).includes(list.siblings)) errors.push({ path: `${at}/siblings`, message: 'must be one of the expanded fields' });
    else if (list.siblings === list.via) errors.push({ path: `${at}/siblings`, message: 'cannot be the via field itself' });
    else if (live(related, list.siblings)?.type !== 'reference') errors.push({ path: `${at}/siblings`, message: 'must name a single reference field' });
  }
  if (list.endField !== undefined) {
    const field = live(related, list.endField);
    if (!field || !DATES.has(valueType(field))) errors.push({ path: `${at}/endField`, message: `must name a date or datetime field of ${related.name} ("${list.endField}")` });
  }
  const sortable = new Set([...platformFieldNames(related.features), '_id']);
  for (const part of (list.sort ?? '').split(',').filter(Boolean)) {
    const name = part.replace(/^-/, '');
    const field = live(related, name);
    if (!sortable.has(name) && (!field || field.type === 'references' || field.type === 'multienum' || field.type === 'json')) {
      errors.push({ path: `${at}/sort`, message: `cannot sort by "${name}"` });
    }
  }
  return errors;
}

function duplicateErrors(entity: EntityDefinition): FieldError[] {
  const options = entity.duplicates;
  if (!options) return [];
  const errors: FieldError[] = [];
  (options.keys ?? []).forEach((name, i) => {
    const field = live(entity, name);
    if (!field || !KEY_TYPES.has(valueType(field))) errors.push({ path: `/duplicates/keys/${i}`, message: `must name a text, email or phone field ("${name}")` });
  });
  if (options.similarName !== undefined) {
    const field = live(entity, options.similarName);
    if (!field || valueType(field) !== 'text') errors.push({ path: '/duplicates/similarName', message: `must name a text field ("${options.similarName}")` });
  }
  return errors;
}
