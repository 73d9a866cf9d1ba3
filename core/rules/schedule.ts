/**
 * Time-based rules (the `rules.schedule` job, run every minute by the
 * workers): each enabled schedule rule runs once for the latest slot of its
 * cron expression that it has not run yet (missed older slots are not
 * replayed). A run walks the rule's records in batches by _id, evaluates
 * the condition for each at the slot's moment, and fires with the key
 * `schedule:<slot>:<id>` — so a run that is repeated (a retried job, a
 * second worker, a crash half-way) acts on no record twice.
 */
import type { Document, Filter, ObjectId } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';
import type { EntityDefinition, RuleDefinition } from '../metadata/types.ts';
import type { ActionPlan, StoredState } from './actions/types.ts';
import { latestSlot } from './cron.ts';
import { qualifying } from './evaluate.ts';
import { fireRule, planActions } from './fire.ts';
import { conditionFilter } from './pushdown.ts';
import type { RuleEvent, RuleMoment } from './rule-data.ts';
import { ruleSet } from './rule-set.ts';
import type { RuleRuntime } from './runtime.ts';
import { RULE_SCHEDULE_COLLECTION, type ScheduleState } from './store.ts';

export const SWEEP_BATCH = 1000;

export interface SweepResult {
  rule: string;
  slot: string;
  scanned: number;
  /** records whose condition held */
  matched: number;
  /** records the rule acted on */
  fired: number;
}

/**
 * Walks every record of the rule's entity at the moment `at`: `fire`
 * carries the actions out (keyed by slot), `plan` only reports them.
 */
export async function sweepRule(input: {
  runtime: RuleRuntime;
  rule: RuleDefinition;
  entity: EntityDefinition;
  at: Date;
  mode: 'fire' | 'plan';
  onPlanned?: (record: StoredState, plans: ActionPlan[]) => void;
  batchSize?: number;
  /** what fired (default schedule) */
  event?: RuleEvent;
  /** more of the moment per record (the activity of a dry run); null skips the record */
  prepare?: (record: StoredState) => Promise<Partial<RuleMoment> | null>;
  /** stop after this many records (dry runs) */
  maxRecords?: number;
}): Promise<SweepResult> {
  const { runtime, rule, entity, at } = input;
  const collection = runtime.records.db.collection(recordCollectionName(entity.name));
  // Only records that can match are read (string equalities of the condition, pushed into the query).
  const narrowed = conditionFilter(rule, entity);
  const result: SweepResult = { rule: rule.name, slot: at.toISOString(), scanned: 0, matched: 0, fired: 0 };
  let after: ObjectId | undefined;
  for (;;) {
    const page: Filter<Document>[] = [...(after ? [{ _id: { $gt: after } }] : []), ...(narrowed ? [narrowed] : [])];
    const batch = (await collection
      .find(page.length === 0 ? {} : page.length === 1 ? page[0]! : { $and: page }, { projection: { _search: 0, _outbox: 0 } })
      .sort({ _id: 1 })
      .limit(input.batchSize ?? SWEEP_BATCH)
      .toArray()) as StoredState[];
    if (batch.length === 0 || (input.maxRecords !== undefined && result.scanned >= input.maxRecords)) break;
    after = batch[batch.length - 1]!._id;
    result.scanned += batch.length;
    const items: Array<{ record: StoredState; moment: Omit<RuleMoment, 'record' | 'lastActivityAt'> }> = [];
    for (const record of batch) {
      const extra = input.prepare ? await input.prepare(record) : {};
      if (extra !== null) items.push({ record, moment: { now: at, event: input.event ?? 'schedule', ...extra } });
    }
    for (const { record, data } of await qualifying({ runtime, rule, entity, items })) {
      result.matched += 1;
      if (input.mode === 'plan') {
        input.onPlanned?.(record, await planActions({ runtime, rule, entity, record, data, now: at }));
        continue;
      }
      const fired = await fireRule({ runtime, rule, entity, record, data, now: at, key: `schedule:${at.toISOString()}:${String(record._id)}`, depth: 0 });
      if (fired.status === 'done') result.fired += 1;
    }
  }
  return result;
}

/** Runs every schedule rule that has a slot due; answers what each run did. */
export async function runDueScheduleRules(input: { runtime: RuleRuntime; now?: Date }): Promise<SweepResult[]> {
  const { runtime } = input;
  const now = input.now ?? new Date();
  const snapshot = runtime.records.registry.snapshot;
  const state = runtime.records.db.collection<ScheduleState>(RULE_SCHEDULE_COLLECTION);
  const results: SweepResult[] = [];
  for (const rule of ruleSet(snapshot).schedule) {
    if (rule.trigger.kind !== 'schedule') continue;
    const entity = snapshot.entities.get(rule.entity);
    if (!entity) continue;
    const slot = latestSlot(rule.trigger.cron, rule.trigger.timezone, now);
    const last = await state.findOne({ _id: rule.name });
    if (last && last.lastSlot.getTime() >= slot.getTime()) continue;
    const result = await sweepRule({ runtime, rule, entity, at: slot, mode: 'fire' });
    // Recorded only once the whole run is done: a crash before it repeats the run, and the claims absorb the repeat.
    await state.updateOne({ _id: rule.name }, { $set: { lastSlot: slot, lastRunAt: now, scanned: result.scanned, fired: result.fired } }, { upsert: true });
    runtime.logger.info(result, 'schedule rule ran');
    results.push(result);
  }
  return results;
}
