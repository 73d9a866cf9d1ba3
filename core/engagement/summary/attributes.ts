/**
 * The key attributes of a summary (`summary.fields`): each with its label in
 * the caller's language, its value, and a display text where the value is a
 * code — an option's label, a direction's label, the title of a referenced
 * record (one `$in` query per target entity, under its read filter).
 */
import { ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import type { DirectionDefinition, EntityDefinition, FieldDefinition, LocalizedText } from '../../metadata/types.ts';
import type { RecordDeps } from '../../records/deps.ts';
import type { JsonRecord } from '../../records/serialize.ts';
import type { StoredRecord } from '../../records/stored-record.ts';
import { localized } from './related.ts';

export interface SummaryAttribute {
  field: string;
  label: string;
  type: string;
  value: unknown;
  /** how to show a coded value: option label, direction label, referenced record's title */
  text?: string;
}

/** Platform fields an administrator may name in `summary.fields`. */
const PLATFORM: Record<string, { label: LocalizedText; type: string; entity?: string }> = {
  owner: { label: { en: 'Responsible', ru: 'Ответственный' }, type: 'reference', entity: 'user' },
  direction: { label: { en: 'Business direction', ru: 'Направление' }, type: 'enum' },
  stage: { label: { en: 'Stage', ru: 'Стадия' }, type: 'enum' },
  createdAt: { label: { en: 'Created', ru: 'Создано' }, type: 'datetime' },
  updatedAt: { label: { en: 'Changed', ru: 'Изменено' }, type: 'datetime' },
  createdBy: { label: { en: 'Created by', ru: 'Создал' }, type: 'reference', entity: 'user' },
  updatedBy: { label: { en: 'Changed by', ru: 'Изменил' }, type: 'reference', entity: 'user' },
  version: { label: { en: 'Version', ru: 'Версия' }, type: 'integer' },
};

export async function summaryAttributes(input: { ctx: RequestContext; deps: RecordDeps; entity: EntityDefinition; record: JsonRecord }): Promise<SummaryAttribute[]> {
  const { ctx, deps, entity, record } = input;
  const hidden = deps.access.hiddenFields({ ctx, entity });
  const locale = ctx.locale;
  const attributes: Array<SummaryAttribute & { target?: string }> = [];
  for (const name of entity.summary?.fields ?? []) {
    if (hidden.has(name)) continue;
    const field = entity.fields.find((f) => f.name === name && !f.retired);
    const platform = PLATFORM[name];
    if (!field && !platform) continue;
    const value = record[name] ?? null;
    const type = field ? (field.type === 'computed' ? (field.resultType ?? 'computed') : field.type) : platform!.type;
    const attribute: SummaryAttribute & { target?: string } = { field: name, label: field ? localized(field.label, locale, name) : localized(platform!.label, locale, name), type, value };
    const text = field ? optionText(field, value, locale) : name === 'direction' ? directionText(deps, value, locale) : undefined;
    if (text !== undefined) attribute.text = text;
    const target = field?.type === 'reference' ? field.entity : platform?.entity;
    if (target && typeof value === 'string') attribute.target = target;
    attributes.push(attribute);
  }
  await resolveTitles({ ctx, deps, attributes });
  return attributes.map(({ target: _target, ...attribute }) => attribute);
}

function optionText(field: FieldDefinition, value: unknown, locale: RequestContext['locale']): string | undefined {
  if (!field.options) return undefined;
  const label = (v: unknown) => field.options!.find((o) => o.value === v);
  if (Array.isArray(value)) return value.map((v) => (label(v) ? localized(label(v)!.label, locale, String(v)) : String(v))).join(', ');
  const option = label(value);
  return option ? localized(option.label, locale, String(value)) : undefined;
}

function directionText(deps: RecordDeps, value: unknown, locale: RequestContext['locale']): string | undefined {
  if (typeof value !== 'string') return undefined;
  const doc = deps.registry.snapshot.byKind<DirectionDefinition>('direction').get(value);
  return doc ? localized(doc.definition.label, locale, value) : undefined;
}

/** Titles of referenced records, one query per target entity; invisible ones stay untitled. */
async function resolveTitles(input: { ctx: RequestContext; deps: RecordDeps; attributes: Array<SummaryAttribute & { target?: string }> }): Promise<void> {
  const { ctx, deps } = input;
  const byTarget = new Map<string, Array<SummaryAttribute & { target?: string }>>();
  for (const attribute of input.attributes) {
    if (attribute.target && typeof attribute.value === 'string' && ObjectId.isValid(attribute.value)) byTarget.set(attribute.target, [...(byTarget.get(attribute.target) ?? []), attribute]);
  }
  await Promise.all(
    [...byTarget].map(async ([name, attributes]) => {
      const target = deps.registry.entity(name);
      const titleField = target?.titleField;
      if (!target || !titleField || deps.access.hiddenFields({ ctx, entity: target }).has(titleField)) return;
      const decision = deps.access.recordFilter({ ctx, entity: target, action: 'read' });
      if (decision === false) return;
      const ids = attributes.map((a) => new ObjectId(a.value as string));
      const found = await deps.db
        .collection<StoredRecord>(recordCollectionName(target.name))
        .find(withAccess({ _id: { $in: ids } }, decision), { projection: { [titleField]: 1 } })
        .toArray();
      const titles = new Map(found.map((doc) => [doc._id.toHexString(), doc[titleField]]));
      for (const attribute of attributes) {
        const title = titles.get(attribute.value as string);
        if (typeof title === 'string') attribute.text = title;
      }
    }),
  );
}
