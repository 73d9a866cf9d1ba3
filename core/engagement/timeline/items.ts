/**
 * One timeline item: where it sits (`at`), what it is (`type`), who is
 * responsible (`actor`), its title, and the record itself as the caller may
 * read it. Open items whose due time has passed are flagged as overdue at
 * read time (it depends on the clock, so it can't be stored).
 */
import { ObjectId } from 'mongodb';
import type { EntityDefinition, TimelineOptions } from '../../metadata/types.ts';
import { serializeRecord, type JsonRecord } from '../../records/serialize.ts';
import type { StoredRecord } from '../../records/stored-record.ts';

export interface TimelineItem {
  entity: string;
  id: string;
  at: string;
  type: string | null;
  actor: string | null;
  title: string | null;
  /** only for entities with open statuses */
  isOpen?: boolean;
  isOverdue?: boolean;
  record: JsonRecord;
}

/** The item with the stored sort key kept alongside, for merging and cursors. */
export interface RankedItem {
  item: TimelineItem;
  at: Date;
  /** when it is due (dueField, else dateField), for ordering upcoming items */
  due?: Date;
  entity: string;
  id: ObjectId;
}

export function isOverdue(options: TimelineOptions, record: StoredRecord, now: Date): boolean {
  if (!isOpen(options, record)) return false;
  const due = record[options.dueField ?? options.dateField];
  return due instanceof Date && due.getTime() < now.getTime();
}

export function isOpen(options: TimelineOptions, record: StoredRecord): boolean {
  if (!options.statusField || !options.openStatuses) return false;
  return options.openStatuses.includes(record[options.statusField] as string);
}

export function toTimelineItem(input: { entity: EntityDefinition; record: StoredRecord; hidden: ReadonlySet<string>; now: Date }): RankedItem {
  const { entity, record, hidden, now } = input;
  const options = entity.timeline!;
  const read = (name: string | undefined): unknown => (name === undefined || hidden.has(name) ? undefined : record[name]);
  const at = record[options.dateField] as Date;
  const type = options.typeField === undefined ? entity.name : read(options.typeField);
  const actor = read(options.actorField);
  const title = read(entity.titleField);
  const item: TimelineItem = {
    entity: entity.name,
    id: record._id.toHexString(),
    at: at.toISOString(),
    type: typeof type === 'string' ? type : null,
    actor: actor instanceof ObjectId ? actor.toHexString() : null,
    title: typeof title === 'string' ? title : title === undefined || title === null ? null : String(title),
    record: serializeRecord({ entity, record, hidden }),
  };
  const canSeeStatus = options.statusField !== undefined && options.openStatuses !== undefined && !hidden.has(options.statusField);
  if (canSeeStatus) {
    item.isOpen = isOpen(options, record);
    item.isOverdue = isOverdue(options, record, now);
  }
  const due = read(options.dueField ?? options.dateField);
  return { item, at, ...(due instanceof Date ? { due } : {}), entity: entity.name, id: record._id };
}

/** Timeline order: newest first; ties by entity name, then newest id. */
export function compareRanked(a: RankedItem, b: RankedItem): number {
  const byAt = b.at.getTime() - a.at.getTime();
  if (byAt !== 0) return byAt;
  if (a.entity !== b.entity) return a.entity < b.entity ? -1 : 1;
  const ah = a.id.toHexString();
  const bh = b.id.toHexString();
  return ah === bh ? 0 : ah < bh ? 1 : -1;
}
