/**
 * The timeline part of a summary: the last items that took place, the next
 * planned ones, the open items (overdue ones flagged) and counts, from every
 * timeline entity referencing the record. Per source entity: three finds,
 * one aggregation counting by type and status, and one count of overdue
 * items, all started together.
 *
 * "Took place" and "open" come from the source's `timeline.statusField`
 * with `doneStatuses` / `openStatuses`; a source without statuses counts an
 * item as past or upcoming by its date.
 */
import type { Document, Filter, ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { andFilters } from '../../query/list-query.ts';
import type { MongoFilter } from '../../query/parse-filter.ts';
import type { RecordDeps } from '../../records/deps.ts';
import type { StoredRecord } from '../../records/stored-record.ts';
import { NOT_STORED } from '../load.ts';
import type { TimelineSource } from '../sources.ts';
import { compareRanked, toTimelineItem, type RankedItem, type TimelineItem } from '../timeline/items.ts';
import { referencesTo } from '../timeline/operation.ts';

export const PANEL_LIMITS = { last: 5, next: 5, open: 20 } as const;

export interface TimelineCounts {
  total: number;
  done: number;
  open: number;
  overdue: number;
  byType: Record<string, number>;
}

export interface TimelinePanel {
  last: TimelineItem[];
  next: TimelineItem[];
  open: TimelineItem[];
  counts: TimelineCounts;
}

interface SourcePanel {
  last: RankedItem[];
  next: RankedItem[];
  open: RankedItem[];
  counts: TimelineCounts;
}

const EMPTY: SourcePanel = { last: [], next: [], open: [], counts: { total: 0, done: 0, open: 0, overdue: 0, byType: {} } };

async function sourcePanel(input: { ctx: RequestContext; deps: RecordDeps; source: TimelineSource; id: ObjectId; now: Date }): Promise<SourcePanel> {
  const { ctx, deps, source, id, now } = input;
  const { entity, options } = source;
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  const hidden = deps.access.hiddenFields({ ctx, entity });
  const refs = referencesTo(source, id, hidden);
  if (decision === false || !refs || hidden.has(options.dateField)) return EMPTY;
  const date = options.dateField;
  const due = options.dueField ?? date;
  const status = options.statusField !== undefined && !hidden.has(options.statusField) ? options.statusField : undefined;
  const open = status && options.openStatuses ? { [status]: { $in: options.openStatuses } } : undefined;
  const done = status && options.doneStatuses ? { [status]: { $in: options.doneStatuses } } : open ? { [status!]: { $nin: options.openStatuses } } : undefined;
  const where = (...parts: Array<MongoFilter | undefined>) => withAccess(andFilters([refs, ...parts]) as Filter<Document>, decision) as Filter<StoredRecord>;
  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  const find = (filter: Filter<StoredRecord>, sort: Record<string, 1 | -1>, limit: number) => collection.find(filter, { projection: NOT_STORED }).sort(sort).limit(limit).toArray();
  const none = Promise.resolve<StoredRecord[]>([]);
  const typeField = options.typeField !== undefined && !hidden.has(options.typeField) ? options.typeField : undefined;
  const zero = Promise.resolve(0);
  const groupId = { ...(typeField ? { type: `$${typeField}` } : {}), ...(status ? { status: `$${status}` } : {}) };
  const [last, next, openItems, groups, overdue] = await Promise.all([
    find(done ? where(done, { [date]: { $ne: null } }) : where({ [date]: { $lte: now } }), { [date]: -1, _id: -1 }, PANEL_LIMITS.last),
    find(open ? where(open, { [due]: { $gte: now } }) : where({ [date]: { $gt: now } }), { [open ? due : date]: 1, _id: 1 }, PANEL_LIMITS.next),
    open ? find(where(open), { [due]: 1, _id: 1 }, PANEL_LIMITS.open) : none,
    // Counts by type and status in one pass; plain group keys, which the embedded engine evaluates far faster than $cond sums.
    collection.aggregate<{ _id: { type?: unknown; status?: unknown } | null; n: number }>([{ $match: where() }, { $group: { _id: Object.keys(groupId).length > 0 ? groupId : null, n: { $sum: 1 } } }]).toArray(),
    open ? collection.countDocuments(where(open, { [due]: { $lt: now } })) : zero,
  ]);
  const rank = (records: StoredRecord[]) => records.map((record) => toTimelineItem({ entity, record, hidden, now }));
  const counts: TimelineCounts = { total: 0, done: 0, open: 0, overdue, byType: {} };
  const isOpen = (value: unknown) => status !== undefined && (options.openStatuses ?? []).includes(value as string);
  const isDone = (value: unknown) => status !== undefined && (options.doneStatuses ? options.doneStatuses.includes(value as string) : options.openStatuses !== undefined && !isOpen(value));
  for (const { _id, n } of groups) {
    counts.total += n;
    if (isDone(_id?.status)) counts.done += n;
    if (isOpen(_id?.status)) counts.open += n;
    // Without a type field the entity name is the type (as on the timeline).
    const type = typeField ? _id?.type : entity.name;
    if (typeof type === 'string') counts.byType[type] = (counts.byType[type] ?? 0) + n;
  }
  // Open items without a due date sort first in the database; they belong last.
  const dated = (r: StoredRecord) => r[due] instanceof Date;
  return { last: rank(last), next: rank(next), open: rank([...openItems.filter(dated), ...openItems.filter((r) => !dated(r))]), counts };
}

export async function timelinePanel(input: { ctx: RequestContext; deps: RecordDeps; sources: readonly TimelineSource[]; id: ObjectId; now: Date }): Promise<TimelinePanel> {
  const panels = await Promise.all(input.sources.map((source) => sourcePanel({ ...input, source })));
  const counts: TimelineCounts = { total: 0, done: 0, open: 0, overdue: 0, byType: {} };
  for (const panel of panels) {
    counts.total += panel.counts.total;
    counts.done += panel.counts.done;
    counts.open += panel.counts.open;
    counts.overdue += panel.counts.overdue;
    for (const [type, n] of Object.entries(panel.counts.byType)) counts.byType[type] = (counts.byType[type] ?? 0) + n;
  }
  const byDue = (a: RankedItem, b: RankedItem) => dueTime(a) - dueTime(b) || -compareRanked(a, b);
  return {
    last: panels.flatMap((p) => p.last).sort(compareRanked).slice(0, PANEL_LIMITS.last).map((r) => r.item),
    next: panels.flatMap((p) => p.next).sort(byDue).slice(0, PANEL_LIMITS.next).map((r) => r.item),
    open: panels.flatMap((p) => p.open).sort(byDue).slice(0, PANEL_LIMITS.open).map((r) => r.item),
    counts,
  };
}

/** When an item is due, for ordering upcoming and open items across sources (undated last). */
function dueTime(ranked: RankedItem): number {
  return ranked.due?.getTime() ?? Number.MAX_SAFE_INTEGER;
}
