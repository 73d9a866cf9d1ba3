/**
 * Dry run, "past": what the rule would have done over a period, judged
 * from history. Each record's states are rebuilt from its field history
 * (reconstruct.ts) and the rule is evaluated at each moment it would have
 * fired: every matching change of the record (record rules), every item
 * created or completed and related to it (activity rules), every slot of
 * its cron expression (schedule rules: the first slot a record qualifies,
 * as the rule would then have changed it). Judged on history as it
 * happened, without the rule's own effects; nothing is written.
 */
import type { ObjectId } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';
import type { EntityDefinition, RuleDefinition } from '../metadata/types.ts';
import { HISTORY_COLLECTION, type HistoryEntry } from '../records/stored-record.ts';
import type { StoredState } from './actions/types.ts';
import { slotsBetween } from './cron.ts';
import { planActions } from './fire.ts';
import { relatedFilter } from './related.ts';
import { activityLinks, doneStatuses, type ActivityLink } from './relations.ts';
import { pastStates, stateAt, type PastState } from './reconstruct.ts';
import { qualifying } from './evaluate.ts';
import type { RuleEvent, RuleMoment } from './rule-data.ts';
import type { RuleRuntime } from './runtime.ts';
import { summarize, titleOf } from './simulate-now.ts';

export interface PastItem {
  id: string;
  title: unknown;
  at: string;
  event: RuleEvent;
  actions: Array<Record<string, unknown>>;
}

export const MAX_PAST_ENTRIES = 20_000;
export const MAX_PAST_SLOTS = 400;

interface Period {
  from: Date;
  to: Date;
}

async function entriesOf(runtime: RuleRuntime, entity: string, period: Period): Promise<HistoryEntry[]> {
  return runtime.records.db.collection<HistoryEntry>(HISTORY_COLLECTION).find({ entity, at: { $gte: period.from, $lte: period.to } }).sort({ at: 1, version: 1 }).limit(MAX_PAST_ENTRIES).toArray();
}

/** Every past state of the given records of an entity. */
async function statesOf(runtime: RuleRuntime, entity: string, ids: ObjectId[]): Promise<Map<string, PastState[]>> {
  const out = new Map<string, PastState[]>();
  if (ids.length === 0) return out;
  const [currents, entries] = await Promise.all([
    runtime.records.db.collection(recordCollectionName(entity)).find({ _id: { $in: ids } }, { projection: { _search: 0, _outbox: 0 } }).toArray(),
    runtime.records.db.collection<HistoryEntry>(HISTORY_COLLECTION).find({ entity, recordId: { $in: ids } }).toArray(),
  ]);
  const current = new Map(currents.map((doc) => [String(doc._id), doc as Record<string, unknown>]));
  const byRecord = new Map<string, HistoryEntry[]>();
  for (const entry of entries) byRecord.set(String(entry.recordId), [...(byRecord.get(String(entry.recordId)) ?? []), entry]);
  for (const id of ids) {
    const key = String(id);
    out.set(key, pastStates(current.get(key) ?? null, byRecord.get(key) ?? []).map((state) => ({ ...state, after: state.after && { ...state.after, _id: id }, before: state.before && { ...state.before, _id: id } })));
  }
  return out;
}

function recordEventsOf(entry: HistoryEntry): RuleEvent[] {
  if (entry.op === 'create') return ['create'];
  if (entry.op === 'delete') return ['delete'];
  return entry.changes.some((change) => change.field === 'stage') ? ['update', 'stageChange'] : ['update'];
}

export async function simulatePast(input: { runtime: RuleRuntime; rule: RuleDefinition; entity: EntityDefinition; period: Period }): Promise<PastItem[]> {
  const { runtime, rule, entity, period } = input;
  const items: PastItem[] = [];
  const consider = async (record: StoredState, moment: Omit<RuleMoment, 'record' | 'lastActivityAt'>, at: Date): Promise<boolean> => {
    const [qualified] = await qualifying({ runtime, rule, entity, items: [{ record, moment }] });
    if (!qualified) return false;
    const data = qualified.data;
    const actions = summarize(await planActions({ runtime, rule, entity, record, data, now: at }));
    if (actions.length === 0) return false;
    items.push({ id: String(record._id), title: titleOf(entity, record), at: at.toISOString(), event: moment.event, actions });
    return true;
  };
  const trigger = rule.trigger;

  if (trigger.kind === 'record') {
    const entries = await entriesOf(runtime, entity.name, period);
    const states = await statesOf(runtime, entity.name, [...new Map(entries.map((entry) => [String(entry.recordId), entry.recordId])).values()]);
    for (const entry of entries) {
      const changed = entry.changes.map((change) => change.field);
      const event = recordEventsOf(entry).find((kind) => trigger.on.includes(kind as 'create') && (kind !== 'update' || !trigger.fields || trigger.fields.some((field) => changed.includes(field))));
      if (!event) continue;
      const state = states.get(String(entry.recordId))?.find((candidate) => candidate.entry._id.equals(entry._id));
      const record = (event === 'delete' ? state?.before : state?.after) as StoredState | null | undefined;
      if (record) await consider(record, { now: entry.at, event, changed, ...(state?.before ? { previous: state.before } : {}) }, entry.at);
    }
  }

  if (trigger.kind === 'activity') {
    for (const link of activityLinks(runtime.records.registry.snapshot.entities, entity)) {
      const entries = await entriesOf(runtime, link.activity.name, period);
      const activities = await statesOf(runtime, link.activity.name, [...new Map(entries.map((entry) => [String(entry.recordId), entry.recordId])).values()]);
      for (const entry of entries) {
        const state = activities.get(String(entry.recordId))?.find((candidate) => candidate.entry._id.equals(entry._id));
        const activity = state?.after;
        const event = activity ? activityEvent(entry, link, activity, state?.before ?? null, trigger.on) : undefined;
        if (!activity || !event) continue;
        if (trigger.activityTypes && (!link.options.typeField || !trigger.activityTypes.includes(String(activity[link.options.typeField])))) continue;
        const filter = relatedFilter({ rule, link, entity, activity });
        if (!filter) continue;
        const related = await runtime.records.db.collection(recordCollectionName(entity.name)).find(filter, { projection: { _id: 1 } }).limit(1000).toArray();
        const records = await statesOf(runtime, entity.name, related.map((doc) => doc._id));
        for (const [, recordStates] of records) {
          const record = stateAt(recordStates, entry.at) as StoredState | null;
          if (record) await consider(record, { now: entry.at, event, activity }, entry.at);
        }
      }
    }
  }

  if (trigger.kind === 'schedule') {
    const slots = slotsBetween(trigger.cron, trigger.timezone, period.from, period.to, MAX_PAST_SLOTS);
    const ids = (await runtime.records.db.collection(recordCollectionName(entity.name)).find({}, { projection: { _id: 1 } }).sort({ _id: 1 }).limit(MAX_PAST_ENTRIES).toArray()).map((doc) => doc._id);
    const states = await statesOf(runtime, entity.name, ids);
    for (const [, recordStates] of states) {
      for (const slot of slots) {
        const record = stateAt(recordStates, slot) as StoredState | null;
        // The first slot is where the rule would have acted; afterwards the record would no longer be as history shows it.
        if (record && (await consider(record, { now: slot, event: 'schedule' }, slot))) break;
      }
    }
  }
  return items.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

function activityEvent(entry: HistoryEntry, link: ActivityLink, after: Record<string, unknown>, before: Record<string, unknown> | null, on: Array<'create' | 'complete'>): RuleEvent | undefined {
  const status = link.options.statusField;
  const isDone = (state: Record<string, unknown> | null) => status !== undefined && state !== null && doneStatuses(link).includes(String(state[status]));
  const kinds: Array<'create' | 'complete'> = [];
  if (entry.op === 'create') kinds.push('create');
  if (isDone(after) && (entry.op === 'create' || (entry.changes.some((change) => change.field === status) && !isDone(before)))) kinds.push('complete');
  return kinds.find((kind) => on.includes(kind));
}
