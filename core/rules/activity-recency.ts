/**
 * When the latest related activity took place, for a batch of records (the
 * `_daysSinceActivity` variable): one grouped query per link between the
 * activity entity and the records' entity (activity.deal = deal,
 * activity.organization = deal.organization …), counting activities with a
 * done status dated up to `now`, in the record's own business direction.
 */
import type { Document } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import type { RecordDeps } from '../records/deps.ts';
import { activityLinks, doneStatuses, type ActivityLink } from './relations.ts';

type Stored = Record<string, unknown> & { _id: unknown };

const keyOf = (value: unknown): string => String(value);

export async function lastActivityDates(input: { deps: RecordDeps; entity: EntityDefinition; records: readonly Stored[]; now: Date }): Promise<Map<string, Date>> {
  const { deps, entity, records, now } = input;
  const latest = new Map<string, Date>();
  const note = (record: Stored, at: unknown) => {
    if (!(at instanceof Date)) return;
    const id = keyOf(record._id);
    const seen = latest.get(id);
    if (!seen || seen < at) latest.set(id, at);
  };
  const isPartitioned = entity.features?.direction === true;
  for (const link of activityLinks(deps.registry.snapshot.entities, entity)) {
    const sameDirection = isPartitioned && link.activity.features?.direction === true;
    const pairs: Array<{ activityField: string; values: (record: Stored) => unknown[] }> = [
      ...link.direct.map((field) => ({ activityField: field.name, values: (record: Stored) => [record._id] })),
      ...link.shared.map(({ activityField, recordField }) => ({ activityField: activityField.name, values: (record: Stored) => toList(record[recordField.name]) })),
    ];
    for (const pair of pairs) {
      const wanted = records.flatMap(pair.values);
      if (wanted.length === 0) continue;
      const groups = await deps.db
        .collection(recordCollectionName(link.activity.name))
        .aggregate<{ _id: { ref: unknown; direction?: unknown }; at: Date }>(pipeline(link, pair.activityField, wanted, now, sameDirection))
        .toArray();
      const byKey = new Map(groups.map((group) => [`${keyOf(group._id.ref)}|${sameDirection ? keyOf(group._id.direction ?? null) : ''}`, group.at]));
      for (const record of records) {
        for (const value of pair.values(record)) note(record, byKey.get(`${keyOf(value)}|${sameDirection ? keyOf(record.direction ?? null) : ''}`));
      }
    }
  }
  return latest;
}

function pipeline(link: ActivityLink, field: string, wanted: unknown[], now: Date, sameDirection: boolean): Document[] {
  const date = link.options.dateField;
  const statusField = link.options.statusField;
  const match: Document = { [field]: { $in: wanted }, [date]: { $lte: now } };
  if (statusField) match[statusField] = { $in: doneStatuses(link) };
  const isMany = link.activity.fields.find((f) => f.name === field)?.type === 'references';
  return [
    { $match: match },
    ...(isMany ? [{ $unwind: `$${field}` }, { $match: { [field]: { $in: wanted } } }] : []),
    { $group: { _id: { ref: `$${field}`, ...(sameDirection ? { direction: '$direction' } : {}) }, at: { $max: `$${date}` } } },
  ];
}

function toList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
