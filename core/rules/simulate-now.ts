/**
 * Dry run, "now": which existing records the rule would change if it fired
 * at this moment — planned exactly as a real firing plans, nothing written.
 * A schedule rule is evaluated for every record at `now`; a record rule as
 * if its trigger fired on each record without a change (`_previous` is the
 * record itself, `_changed` the trigger's fields); an activity rule with
 * each record's latest related activity of the trigger's kind as
 * `_activity` (records with none are skipped).
 */
import type { Document, Filter } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';
import type { EntityDefinition, RuleDefinition } from '../metadata/types.ts';
import type { ActionPlan, StoredState } from './actions/types.ts';
import { activityLinks, doneStatuses, type ActivityLink } from './relations.ts';
import type { RuleEvent, RuleMoment } from './rule-data.ts';
import type { RuleRuntime } from './runtime.ts';
import { sweepRule } from './schedule.ts';

export interface PlannedItem {
  id: string;
  title: unknown;
  actions: Array<Record<string, unknown>>;
}

export const MAX_SIMULATED_RECORDS = 20_000;

export function summarize(plans: ActionPlan[]): Array<Record<string, unknown>> {
  return plans
    .filter((plan) => plan.isChange)
    .map((plan) => ({ kind: plan.kind, ...plan.detail, ...(plan.refused ? { refused: plan.refused } : {}), ...(plan.failed ? { failed: plan.failed } : {}) }));
}

export function titleOf(entity: EntityDefinition, record: Record<string, unknown>): unknown {
  const value = entity.titleField ? record[entity.titleField] : undefined;
  return value === undefined ? null : typeof value === 'object' && value !== null ? String(value) : value;
}

/** The activity a dry run of an activity rule pretends just happened: the record's latest related one that fits the trigger. */
async function latestActivity(runtime: RuleRuntime, rule: RuleDefinition, entity: EntityDefinition, links: ActivityLink[], record: StoredState): Promise<Record<string, unknown> | null> {
  if (rule.trigger.kind !== 'activity') return null;
  const trigger = rule.trigger;
  let best: Record<string, unknown> | null = null;
  for (const link of links) {
    // The relation read from the record's side: activities it is related to, in its direction unless the rule crosses.
    const or: Filter<Document>[] = [
      ...link.direct.map((field) => ({ [field.name]: record._id })),
      ...link.shared.filter(({ recordField }) => record[recordField.name] !== undefined && record[recordField.name] !== null).map(({ activityField, recordField }) => ({ [activityField.name]: { $in: [record[recordField.name]].flat() } })),
    ];
    if (or.length === 0) continue;
    const and: Filter<Document>[] = [{ $or: or }];
    if (trigger.activityTypes && link.options.typeField) and.push({ [link.options.typeField]: { $in: trigger.activityTypes } });
    if (!trigger.on.includes('create') && link.options.statusField) and.push({ [link.options.statusField]: { $in: doneStatuses(link) } });
    if (entity.features?.direction && link.activity.features?.direction && rule.crossDirections !== true) and.push({ direction: record.direction ?? null });
    const found = await runtime.records.db.collection(recordCollectionName(link.activity.name)).find({ $and: and }, { projection: { _search: 0, _outbox: 0 } }).sort({ [link.options.dateField]: -1, _id: -1 }).limit(1).toArray();
    const candidate = found[0];
    if (!candidate) continue;
    const date = (value: Record<string, unknown> | null) => (value?.[link.options.dateField] instanceof Date ? (value[link.options.dateField] as Date).getTime() : 0);
    if (!best || date(candidate) > date(best)) best = candidate;
  }
  return best;
}

export async function simulateNow(input: { runtime: RuleRuntime; rule: RuleDefinition; entity: EntityDefinition; now: Date }): Promise<{ items: PlannedItem[]; scanned: number; isTruncated: boolean }> {
  const { runtime, rule, entity, now } = input;
  const items: PlannedItem[] = [];
  const trigger = rule.trigger;
  let event: RuleEvent = 'schedule';
  let prepare: ((record: StoredState) => Promise<Partial<RuleMoment> | null>) | undefined;
  if (trigger.kind === 'record') {
    event = trigger.on.includes('update') ? 'update' : trigger.on[0]!;
    prepare = async (record) => ({ changed: trigger.fields ?? [], previous: record });
  } else if (trigger.kind === 'activity') {
    event = trigger.on.includes('complete') ? 'complete' : 'create';
    const links = activityLinks(runtime.records.registry.snapshot.entities, entity);
    prepare = async (record) => {
      const activity = await latestActivity(runtime, rule, entity, links, record);
      return activity ? { activity } : null;
    };
  }
  const result = await sweepRule({
    runtime,
    rule,
    entity,
    at: now,
    mode: 'plan',
    event,
    prepare,
    maxRecords: MAX_SIMULATED_RECORDS,
    onPlanned: (record, plans) => {
      const actions = summarize(plans);
      if (actions.length > 0) items.push({ id: String(record._id), title: titleOf(entity, record), actions });
    },
  });
  return { items, scanned: result.scanned, isTruncated: result.scanned >= MAX_SIMULATED_RECORDS };
}
