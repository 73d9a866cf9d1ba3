/**
 * Board data (`GET /board/:entity`): the records the caller may read,
 * narrowed by the usual list parameters (filter, q), grouped by stage in
 * pipeline order, with per stage the count, the exact sum of the pipeline's
 * amount field, the sum weighted by the stage probability, and the first
 * cards (limit per stage, sort, fields, expand). One aggregation for the
 * figures, one query per stage for the cards.
 */
import type { Document, Filter } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { visibleSearchFilter } from '../../access/visible-search.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import type { LocalizedText, StageDefinition } from '../../metadata/types.ts';
import { buildFieldMap } from '../../query/field-map.ts';
import { countFilter } from '../../query/list-query.ts';
import { parseListParams } from '../../query/parse-list-params.ts';
import { resolveEntity, type RecordDeps } from '../../records/deps.ts';
import { expandReferences } from '../../records/expand.ts';
import { serializeRecord, type JsonRecord } from '../../records/serialize.ts';
import type { StoredRecord } from '../../records/stored-record.ts';
import { forbidden, notFound, queryInvalid } from '../../shared/errors.ts';
import { addAmounts, sumToJson, weighted, type Amount } from '../amounts.ts';
import { pipelineOf } from '../lookup.ts';

export const DEFAULT_CARDS = 20;
export const MAX_CARDS = 100;

export interface BoardStage {
  name: string;
  label: LocalizedText;
  color?: string;
  kind: StageDefinition['kind'];
  probability: number | null;
  targetDwellDays?: number;
  count: number;
  /** the amount field's sum; null when the pipeline has none or the caller may not read it */
  sum: Amount | null;
  weighted: Amount | null;
  items: JsonRecord[];
}

export interface Board {
  entity: string;
  pipeline: string;
  amountField: string | null;
  stages: BoardStage[];
  /** records whose stage the pipeline no longer has */
  unassigned?: { count: number; sum: Amount | null };
  total: { count: number; sum: Amount | null; weighted: Amount | null };
}

export async function boardData(input: { ctx: RequestContext; deps: RecordDeps; entity: string; params: URLSearchParams }): Promise<Board> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const pipeline = pipelineOf(deps.registry.snapshot, entity);
  if (!pipeline) throw notFound(`${entity.name} records do not move through stages`);
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  if (decision === false) throw forbidden(`You may not read ${entity.name} records`);
  const hidden = deps.access.hiddenFields({ ctx, entity });

  const params = new URLSearchParams(input.params);
  for (const name of ['offset', 'cursor', 'count']) {
    if (params.has(name)) throw queryInvalid('The board parameters are invalid', [{ path: `/${name}`, message: 'is not a board parameter (limit is the number of cards per stage)' }]);
  }
  if (!params.has('limit')) params.set('limit', String(DEFAULT_CARDS));
  if (!params.has('sort')) params.set('sort', '-updatedAt');
  const fieldMap = new Map([...buildFieldMap(entity)].filter(([name]) => !hidden.has(name)));
  const query = parseListParams(params, { fieldMap, entity });
  if (query.limit > MAX_CARDS) throw queryInvalid('The board parameters are invalid', [{ path: '/limit', message: `must be at most ${MAX_CARDS} cards per stage` }]);
  const visibleSearch = query.q !== undefined ? visibleSearchFilter(entity, hidden, query.q) : undefined;
  if (visibleSearch) query.search = visibleSearch;

  const amountField = pipeline.amountField && !hidden.has(pipeline.amountField) ? entity.fields.find((f) => f.name === pipeline.amountField) : undefined;
  const match = withAccess(countFilter(query) as Filter<Document>, decision);
  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  const groups = await collection
    .aggregate<{ _id: unknown; count: number; sum?: unknown }>([
      { $match: match },
      { $group: { _id: '$stage', count: { $sum: 1 }, ...(amountField ? { sum: { $sum: `$${amountField.name}` } } : {}) } },
    ])
    .toArray();
  const byStage = new Map(groups.map((group) => [String(group._id), group]));

  const isInclusion = Object.values(query.projection).some((value) => value === 1);
  const projection = isInclusion ? query.projection : { ...query.projection, _search: 0, _outbox: 0 };
  const fields = query.fields ? new Set<string>(query.fields) : undefined;
  const stages = await Promise.all(
    pipeline.stages.map(async (stage): Promise<BoardStage> => {
      const group = byStage.get(stage.name);
      const count = group?.count ?? 0;
      const stored = count === 0 ? [] : await collection.find({ $and: [match, { stage: stage.name }] } as Filter<StoredRecord>, { projection }).sort(query.mongoSort).limit(query.limit).toArray();
      const items = stored.map((record) => serializeRecord({ entity, record, hidden, fields }));
      if (query.expand.length > 0) await expandReferences({ ctx, deps, entity, records: items, stored, expand: query.expand });
      const sum = amountField ? sumToJson(amountField, group?.sum) : null;
      return {
        name: stage.name,
        label: stage.label,
        ...(stage.color ? { color: stage.color } : {}),
        kind: stage.kind,
        probability: stage.probability ?? null,
        ...(stage.targetDwellDays !== undefined ? { targetDwellDays: stage.targetDwellDays } : {}),
        count,
        sum,
        weighted: amountField && sum !== null ? weighted(amountField, sum, stage.probability ?? 0) : null,
        items,
      };
    }),
  );
  const known = new Set(pipeline.stages.map((stage) => stage.name));
  const stray = groups.filter((group) => !known.has(String(group._id)));
  const sumOf = (list: typeof groups) => (amountField ? list.reduce<Amount>((sum, group) => addAmounts(amountField, sum, sumToJson(amountField, group.sum)), sumToJson(amountField, 0)) : null);
  const weightedTotal = amountField ? stages.reduce<Amount>((sum, stage) => addAmounts(amountField, sum, stage.weighted ?? 0), sumToJson(amountField, 0)) : null;
  return {
    entity: entity.name,
    pipeline: pipeline.name,
    amountField: amountField?.name ?? null,
    stages,
    ...(stray.length > 0 ? { unassigned: { count: stray.reduce((n, group) => n + group.count, 0), sum: sumOf(stray) } } : {}),
    total: { count: groups.reduce((n, group) => n + group.count, 0), sum: sumOf(groups), weighted: weightedTotal },
  };
}
