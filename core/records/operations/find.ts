/**
 * List / query: parse the list parameters into a whitelisted query → AND the
 * access filter → page by keyset cursor or offset → count in parallel →
 * expand references in one query per field.
 */
import type { Document, Filter } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { visibleSearchFilter } from '../../access/visible-search.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { nextCursor } from '../../query/cursor.ts';
import { buildFieldMap, type FieldMap } from '../../query/field-map.ts';
import { countFilter, findFilter } from '../../query/list-query.ts';
import { parseListParams } from '../../query/parse-list-params.ts';
import { forbidden } from '../../shared/errors.ts';
import type { RecordDeps } from '../deps.ts';
import { resolveEntity } from '../deps.ts';
import { expandReferences } from '../expand.ts';
import { serializeRecord, type JsonRecord } from '../serialize.ts';
import type { StoredRecord } from '../stored-record.ts';

export interface ListResult {
  items: JsonRecord[];
  total?: number;
  nextCursor: string | null;
}

function visibleFieldMap(fieldMap: FieldMap, hidden: ReadonlySet<string>): FieldMap {
  if (hidden.size === 0) return fieldMap;
  return new Map([...fieldMap].filter(([name]) => !hidden.has(name)));
}

export async function findRecords(input: { ctx: RequestContext; deps: RecordDeps; entity: string; params: URLSearchParams; extraFilter?: Filter<Document> }): Promise<ListResult> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  if (decision === false) throw forbidden(`You may not read ${entity.name} records`);
  const hidden = deps.access.hiddenFields({ ctx, entity });
  // Fields the caller may not read cannot be filtered or sorted on either (that would reveal them).
  const query = parseListParams(input.params, { fieldMap: visibleFieldMap(buildFieldMap(entity), hidden), entity });
  // Nor searched through the shared token index.
  const visibleSearch = query.q !== undefined ? visibleSearchFilter(entity, hidden, query.q) : undefined;
  if (visibleSearch) query.search = visibleSearch;

  const extra = input.extraFilter ? [input.extraFilter as Record<string, unknown>] : [];
  const page = withAccess(findFilter(query, ...extra) as Filter<Document>, decision);
  const all = withAccess(countFilter(query, ...extra) as Filter<Document>, decision);
  const isInclusion = Object.values(query.projection).some((value) => value === 1);
  const projection = isInclusion ? query.projection : { ...query.projection, _search: 0, _outbox: 0 };

  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  const [stored, total] = await Promise.all([
    collection
      .find(page as Filter<StoredRecord>, { projection })
      .sort(query.mongoSort)
      .skip(query.offset)
      .limit(query.limit + 1)
      .toArray(),
    query.count ? collection.countDocuments(all as Filter<StoredRecord>) : Promise.resolve(undefined),
  ]);
  const hasMore = stored.length > query.limit;
  const pageItems = hasMore ? stored.slice(0, query.limit) : stored;
  const fields = query.fields ? new Set<string>(query.fields) : undefined;
  const items = pageItems.map((record) => serializeRecord({ entity, record, hidden, fields }));
  if (query.expand.length > 0) await expandReferences({ ctx, deps, entity, records: items, stored: pageItems, expand: query.expand });
  return {
    items,
    ...(total !== undefined ? { total } : {}),
    nextCursor: hasMore ? nextCursor(pageItems[pageItems.length - 1]!, query.sort) : null,
  };
}
