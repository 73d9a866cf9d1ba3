/**
 * A record's timeline: the records of every timeline entity that reference
 * it, merged newest first and paged by a keyset cursor. Each source entity
 * is queried once per page, under the caller's read filter for it, sorted
 * by its date and limited to one more than the page; the pages are merged
 * in memory. Ties on the date are broken by entity name, then by id, so the
 * order is total and a cursor never repeats or skips an item.
 */
import type { Document, Filter, ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { encodeCursor } from '../../query/cursor.ts';
import { andFilters } from '../../query/list-query.ts';
import type { MongoFilter } from '../../query/parse-filter.ts';
import { resolveEntity, type RecordDeps } from '../../records/deps.ts';
import type { StoredRecord } from '../../records/stored-record.ts';
import { loadReadable, NOT_STORED } from '../load.ts';
import { timelineSources, type TimelineSource } from '../sources.ts';
import { compareRanked, toTimelineItem, type RankedItem, type TimelineItem } from './items.ts';
import { parseTimelineParams, TIMELINE_SORT, type TimelineParams, type TimelinePosition } from './params.ts';

export interface TimelinePage {
  items: TimelineItem[];
  nextCursor: string | null;
}

/** Records of `source` referencing `id` through any of its fields the caller may read. */
export function referencesTo(source: TimelineSource, id: ObjectId, hidden: ReadonlySet<string>): MongoFilter | undefined {
  const refs = source.via.filter((field) => !hidden.has(field.name)).map((field) => ({ [field.name]: id }));
  if (refs.length === 0) return undefined;
  return refs.length === 1 ? refs[0] : { $or: refs };
}

/** Items of `source` strictly after `position` in timeline order. */
function afterPosition(source: TimelineSource, position: TimelinePosition): MongoFilter {
  const date = source.options.dateField;
  const name = source.entity.name;
  if (name > position.entity) return { [date]: { $lte: position.at } };
  if (name < position.entity) return { [date]: { $lt: position.at } };
  return { $or: [{ [date]: { $lt: position.at } }, { [date]: position.at, _id: { $lt: position.id } }] };
}

/** The conditions a source adds for the type and actor filters; null when the source cannot match them. */
function filterConditions(source: TimelineSource, params: TimelineParams, hidden: ReadonlySet<string>): MongoFilter[] | null {
  const { options, entity } = source;
  const parts: MongoFilter[] = [];
  if (params.types) {
    if (options.typeField === undefined) {
      if (!params.types.includes(entity.name)) return null;
    } else {
      if (hidden.has(options.typeField)) return null;
      parts.push({ [options.typeField]: { $in: params.types } });
    }
  }
  if (params.actor) {
    if (options.actorField === undefined || hidden.has(options.actorField)) return null;
    parts.push({ [options.actorField]: params.actor });
  }
  return parts;
}

async function sourcePage(input: { ctx: RequestContext; deps: RecordDeps; source: TimelineSource; id: ObjectId; params: TimelineParams; now: Date }): Promise<RankedItem[]> {
  const { ctx, deps, source, id, params } = input;
  const { entity, options } = source;
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  const hidden = deps.access.hiddenFields({ ctx, entity });
  // Without its date the caller could not place an item; an entity whose date they may not read stays out.
  if (decision === false || hidden.has(options.dateField)) return [];
  const refs = referencesTo(source, id, hidden);
  const extra = filterConditions(source, params, hidden);
  if (!refs || !extra) return [];
  const filter = andFilters([refs, { [options.dateField]: { $ne: null } }, ...extra, ...(params.after ? [afterPosition(source, params.after)] : [])]);
  const stored = await deps.db
    .collection<StoredRecord>(recordCollectionName(entity.name))
    .find(withAccess(filter as Filter<Document>, decision) as Filter<StoredRecord>, { projection: NOT_STORED })
    .sort({ [options.dateField]: -1, _id: -1 })
    .limit(params.limit + 1)
    .toArray();
  return stored.map((record) => toTimelineItem({ entity, record, hidden, now: input.now }));
}

export async function recordTimeline(input: { ctx: RequestContext; deps: RecordDeps; entity: string; id: string; params: URLSearchParams; now?: Date }): Promise<TimelinePage> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const sources = timelineSources(deps.registry.snapshot, entity.name);
  const params = parseTimelineParams(input.params, sources);
  const record = await loadReadable({ ctx, deps, entity, id: input.id });
  const now = input.now ?? new Date();
  const pages = await Promise.all(sources.map((source) => sourcePage({ ctx, deps, source, id: record._id, params, now })));
  const merged = pages.flat().sort(compareRanked);
  const page = merged.slice(0, params.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((ranked) => ranked.item),
    nextCursor: merged.length > params.limit && last ? encodeCursor(TIMELINE_SORT, [last.at, last.entity, last.id]) : null,
  };
}
