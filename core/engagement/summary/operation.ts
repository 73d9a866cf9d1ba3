/**
 * The client summary ("before the call" page) of one record: the record,
 * its key attributes, its related lists (`summary.related` in metadata) and
 * the timeline panel (last, next, open items and counts) from every timeline
 * entity referencing it. Generic over metadata: any entity can have one.
 *
 * Queries run in rounds of parallel queries, a fixed number per related list
 * and per timeline source whatever the number of records: first the record,
 * the related lists, their counts and the whole timeline panel; then the
 * embedded references, the siblings and the attribute titles; then the
 * siblings' references. Never one query per related record.
 */
import type { RequestContext } from '../../context.ts';
import type { JsonRecord } from '../../records/serialize.ts';
import { resolveEntity, type RecordDeps } from '../../records/deps.ts';
import { findRecord } from '../../records/operations/find-one.ts';
import { parseRecordId } from '../../records/ids.ts';
import { timelineSources } from '../sources.ts';
import { summaryAttributes, type SummaryAttribute } from './attributes.ts';
import { completeRelatedLists, relatedLists, type RelatedList } from './related.ts';
import { timelinePanel, type TimelinePanel } from './timeline-panel.ts';

export interface RecordSummary {
  entity: string;
  id: string;
  title: string | null;
  record: JsonRecord;
  attributes: SummaryAttribute[];
  related: RelatedList[];
  timeline: TimelinePanel;
  /** the moment "overdue" and "current" were judged against */
  asOf: string;
}

export async function recordSummary(input: { ctx: RequestContext; deps: RecordDeps; entity: string; id: string; now?: Date }): Promise<RecordSummary> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const id = parseRecordId(entity.name, input.id);
  const now = input.now ?? new Date();
  // The record is read in the same round; if the caller may not see it, nothing else is returned.
  const [record, fetched, timeline] = await Promise.all([
    findRecord({ ctx, deps, entity: entity.name, id: input.id }),
    relatedLists({ ctx, deps, lists: entity.summary?.related ?? [], id, now }),
    timelinePanel({ ctx, deps, sources: timelineSources(deps.registry.snapshot, entity.name), id, now }),
  ]);
  const [related, attributes] = await Promise.all([completeRelatedLists({ ctx, deps, fetched, id }), summaryAttributes({ ctx, deps, entity, record })]);
  const title = entity.titleField !== undefined ? record[entity.titleField] : undefined;
  return {
    entity: entity.name,
    id: id.toHexString(),
    title: typeof title === 'string' ? title : null,
    record,
    attributes,
    related,
    timeline,
    asOf: now.toISOString(),
  };
}
