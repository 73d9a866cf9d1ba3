/**
 * Related lists of a summary (`summary.related` in metadata): the records of
 * another entity whose `via` reference points at the summarised record,
 * split into current and former by `endField`, each with its `expand`
 * references embedded and, with `siblings`, the other records sharing that
 * reference (a contact person's other employments, with their
 * organizations). Every query runs under the caller's read filter for its
 * entity, so a record they may not see is absent, from counts too.
 *
 * Queries: one find and one count per part (current, former) in the first
 * round; then one `$in` per expanded field and one siblings query; then one
 * `$in` for the siblings' own reference. Never one per record.
 */
import type { Document, Filter, ObjectId, Sort } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess, type AccessDecision } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import type { EntityDefinition, LocalizedText, Locale, SummaryRelatedList } from '../../metadata/types.ts';
import { andFilters } from '../../query/list-query.ts';
import type { MongoFilter } from '../../query/parse-filter.ts';
import type { RecordDeps } from '../../records/deps.ts';
import { expandReferences } from '../../records/expand.ts';
import { serializeRecord, type JsonRecord } from '../../records/serialize.ts';
import type { StoredRecord } from '../../records/stored-record.ts';
import { NOT_STORED } from '../load.ts';

export const DEFAULT_RELATED_LIMIT = 100;
const MAX_SIBLINGS = 1000;

export interface RelatedItem {
  record: JsonRecord;
  /** the other records sharing the `siblings` reference, with `via` embedded */
  siblings?: JsonRecord[];
}

export interface RelatedList {
  entity: string;
  via: string;
  label: string;
  current: RelatedItem[];
  former: RelatedItem[];
  counts: { total: number; current: number; former: number };
}

/** A related list after the first round: stored records and counts, not yet expanded. */
interface Fetched {
  list: SummaryRelatedList;
  entity: EntityDefinition;
  decision: AccessDecision;
  hidden: ReadonlySet<string>;
  current: StoredRecord[];
  former: StoredRecord[];
  counts: { current: number; former: number };
}

export function localized(text: LocalizedText | undefined, locale: Locale, fallback: string): string {
  return text?.[locale] ?? text?.en ?? fallback;
}

function parseSort(sort: string | undefined): Sort {
  const out: Record<string, 1 | -1> = {};
  for (const part of (sort ?? '-createdAt').split(',').filter(Boolean)) out[part.replace(/^-/, '')] = part.startsWith('-') ? -1 : 1;
  if (!('_id' in out)) out._id = 1;
  return out;
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** First round: the records and counts of one related list, or undefined when the caller may not read it. */
async function fetchList(input: { ctx: RequestContext; deps: RecordDeps; list: SummaryRelatedList; id: ObjectId; now: Date }): Promise<Fetched | undefined> {
  const { ctx, deps, list, id } = input;
  const entity = deps.registry.entity(list.entity);
  const decision = entity ? deps.access.recordFilter({ ctx, entity, action: 'read' }) : false;
  if (!entity || decision === false) return undefined;
  const hidden = deps.access.hiddenFields({ ctx, entity });
  const via = entity.fields.find((f) => f.name === list.via && !f.retired);
  if (!via || hidden.has(via.name)) return undefined;
  const endField = list.endField !== undefined && !hidden.has(list.endField) ? list.endField : undefined;
  const today = startOfUtcDay(input.now);
  const parts: MongoFilter[] = endField ? [{ $or: [{ [endField]: null }, { [endField]: { $gte: today } }] }, { [endField]: { $lt: today } }] : [{}];
  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  const limit = list.limit ?? DEFAULT_RELATED_LIMIT;
  const sort = parseSort(list.sort);
  const results = await Promise.all(
    parts.flatMap((part) => {
      const filter = withAccess(andFilters([{ [via.name]: id }, part]) as Filter<Document>, decision) as Filter<StoredRecord>;
      return [collection.find(filter, { projection: NOT_STORED }).sort(sort).limit(limit).toArray(), collection.countDocuments(filter)] as const;
    }),
  );
  const [current, currentCount, former = [], formerCount = 0] = results as [StoredRecord[], number, StoredRecord[]?, number?];
  return { list, entity, decision, hidden, current, former, counts: { current: currentCount, former: formerCount } };
}

/** Second and third rounds: embed the expanded references and attach the siblings. */
async function complete(input: { ctx: RequestContext; deps: RecordDeps; fetched: Fetched; id: ObjectId; locale: Locale }): Promise<RelatedList> {
  const { ctx, deps, fetched, id } = input;
  const { entity, list, hidden, decision } = fetched;
  const stored = [...fetched.current, ...fetched.former];
  const records = stored.map((record) => serializeRecord({ entity, record, hidden }));
  const siblingField = list.siblings !== undefined && !hidden.has(list.siblings) ? list.siblings : undefined;
  const [, siblings] = await Promise.all([
    expandReferences({ ctx, deps, entity, records, stored, expand: list.expand ?? [] }),
    siblingField ? fetchSiblings({ deps, entity, decision, via: list.via, field: siblingField, stored, id, sort: parseSort(list.sort) }) : Promise.resolve([]),
  ]);
  const siblingJson = siblings.map((record) => serializeRecord({ entity, record, hidden }));
  if (siblingJson.length > 0) await expandReferences({ ctx, deps, entity, records: siblingJson, stored: siblings, expand: [list.via] });
  const byKey = new Map<string, JsonRecord[]>();
  siblings.forEach((record, i) => {
    const key = String(record[siblingField!]);
    byKey.set(key, [...(byKey.get(key) ?? []), siblingJson[i]!]);
  });
  const items: RelatedItem[] = records.map((record, i) => {
    if (!siblingField) return { record };
    const key = stored[i]![siblingField];
    return { record, siblings: key === undefined || key === null ? [] : (byKey.get(String(key)) ?? []) };
  });
  const currentCount = fetched.current.length;
  return {
    entity: entity.name,
    via: list.via,
    label: localized(list.label ?? entity.pluralLabel ?? entity.label, input.locale, entity.name),
    current: items.slice(0, currentCount),
    former: items.slice(currentCount),
    counts: { total: fetched.counts.current + fetched.counts.former, ...fetched.counts },
  };
}

async function fetchSiblings(input: {
  deps: RecordDeps;
  entity: EntityDefinition;
  decision: AccessDecision;
  via: string;
  field: string;
  stored: StoredRecord[];
  id: ObjectId;
  sort: Sort;
}): Promise<StoredRecord[]> {
  const keys = new Map<string, unknown>();
  for (const record of input.stored) {
    const value = record[input.field];
    if (value !== undefined && value !== null) keys.set(String(value), value);
  }
  if (keys.size === 0) return [];
  const filter = withAccess({ [input.field]: { $in: [...keys.values()] }, [input.via]: { $ne: input.id } }, input.decision) as Filter<StoredRecord>;
  return input.deps.db.collection<StoredRecord>(recordCollectionName(input.entity.name)).find(filter, { projection: NOT_STORED }).sort(input.sort).limit(MAX_SIBLINGS).toArray();
}

/** Starts the first round for every related list; `then` finishes each one. */
export function relatedLists(input: { ctx: RequestContext; deps: RecordDeps; lists: readonly SummaryRelatedList[]; id: ObjectId; now: Date }): Promise<Array<Fetched | undefined>> {
  return Promise.all(input.lists.map((list) => fetchList({ ...input, list })));
}

export async function completeRelatedLists(input: { ctx: RequestContext; deps: RecordDeps; fetched: Array<Fetched | undefined>; id: ObjectId }): Promise<RelatedList[]> {
  const present = input.fetched.filter((f): f is Fetched => f !== undefined);
  return Promise.all(present.map((fetched) => complete({ ctx: input.ctx, deps: input.deps, fetched, id: input.id, locale: input.ctx.locale })));
}
