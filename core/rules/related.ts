/**
 * The records of a rule's entity related to an activity: those it
 * references (activity.deal), and those sharing a reference with it
 * (deal.organization = activity.organization). A rule acts as the system,
 * but never across business directions: when both entities are partitioned
 * only records in the activity's direction qualify, unless the rule says
 * `crossDirections: true`.
 */
import type { Document, Filter, ObjectId } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';
import type { EntityDefinition, RuleDefinition } from '../metadata/types.ts';
import type { RecordDeps } from '../records/deps.ts';
import type { StoredState } from './actions/types.ts';
import type { ActivityLink } from './relations.ts';

/** More related records than this are not acted on by one event (logged by the caller's run records). */
export const MAX_RELATED = 1000;

function values(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function relatedFilter(input: { rule: RuleDefinition; link: ActivityLink; entity: EntityDefinition; activity: Record<string, unknown> }): Filter<Document> | undefined {
  const { rule, link, entity, activity } = input;
  const or: Filter<Document>[] = [];
  const direct = link.direct.flatMap((field) => values(activity[field.name]));
  if (direct.length > 0) or.push({ _id: { $in: direct as ObjectId[] } });
  for (const { activityField, recordField } of link.shared) {
    const shared = values(activity[activityField.name]);
    if (shared.length > 0) or.push({ [recordField.name]: { $in: shared } });
  }
  if (or.length === 0) return undefined;
  const filter: Filter<Document> = or.length === 1 ? or[0]! : { $or: or };
  const isGuarded = entity.features?.direction === true && link.activity.features?.direction === true && rule.crossDirections !== true;
  return isGuarded ? { $and: [filter, { direction: activity.direction ?? null }] } : filter;
}

export async function relatedRecords(input: { deps: RecordDeps; rule: RuleDefinition; link: ActivityLink; entity: EntityDefinition; activity: Record<string, unknown> }): Promise<StoredState[]> {
  const filter = relatedFilter(input);
  if (!filter) return [];
  const found = await input.deps.db.collection(recordCollectionName(input.entity.name)).find(filter, { projection: { _search: 0, _outbox: 0 } }).sort({ _id: 1 }).limit(MAX_RELATED).toArray();
  return found as StoredState[];
}
