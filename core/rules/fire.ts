/**
 * One rule on one record: plan every action against the record as it is;
 * if none would change anything, stop (nothing to claim, nothing done).
 * Otherwise claim (rule, key) — the unique index lets exactly one delivery
 * of an event or slot through — then carry the actions out in order and
 * record their outcomes on the claim. A dry run stops after planning.
 */
import { ObjectId } from 'mongodb';
import type { EntityDefinition, RuleDefinition } from '../metadata/types.ts';
import { handlerFor } from './actions/index.ts';
import type { ActionPlan, StoredState } from './actions/types.ts';
import { ruleContext, type RuleRuntime } from './runtime.ts';
import { isDuplicateKey, RULE_RUNS_COLLECTION, type ActionOutcome, type RuleRun } from './store.ts';

export type FireResult =
  | { status: 'unchanged'; plans: ActionPlan[] }
  | { status: 'duplicate'; plans: ActionPlan[] }
  | { status: 'done'; plans: ActionPlan[]; outcomes: ActionOutcome[] };

/** Plans in order, each against the record as the earlier actions leave it (a field set, then a stage that needs it). */
export async function planActions(input: { runtime: RuleRuntime; rule: RuleDefinition; entity: EntityDefinition; record: StoredState; data: Record<string, unknown>; now: Date }): Promise<ActionPlan[]> {
  const plans: ActionPlan[] = [];
  let record = input.record;
  let data = input.data;
  for (const action of input.rule.actions) {
    const plan = await handlerFor(action).plan({ ...input, record, data, action });
    plans.push(plan);
    if (plan.isChange && plan.effect) {
      record = { ...record, ...plan.effect };
      data = { ...data, ...plan.effect, ...('stageEnteredAt' in plan.effect ? { _daysInStage: 0 } : {}) };
    }
  }
  return plans;
}

export async function fireRule(input: {
  runtime: RuleRuntime;
  rule: RuleDefinition;
  entity: EntityDefinition;
  record: StoredState;
  data: Record<string, unknown>;
  now: Date;
  key: string;
  depth: number;
}): Promise<FireResult> {
  const { runtime, rule, entity, record, key } = input;
  const plans = await planActions(input);
  if (!plans.some((plan) => plan.isChange)) return { status: 'unchanged', plans };
  const runs = runtime.records.db.collection<RuleRun>(RULE_RUNS_COLLECTION);
  const run: RuleRun = { _id: new ObjectId(), rule: rule.name, key, entity: entity.name, recordId: record._id as ObjectId, depth: input.depth, at: input.now, status: 'running', outcomes: [] };
  try {
    await runs.insertOne(run);
  } catch (error) {
    if (isDuplicateKey(error)) return { status: 'duplicate', plans };
    throw error;
  }
  const ctx = ruleContext(rule.name, key);
  const outcomes: ActionOutcome[] = [];
  for (const [index, action] of rule.actions.entries()) {
    const plan = plans[index]!;
    if (!plan.isChange) {
      outcomes.push({ kind: action.kind, status: 'unchanged', detail: plan.detail });
      continue;
    }
    outcomes.push(await handlerFor(action).apply({ ...input, action, plan, ctx }));
  }
  await runs.updateOne({ _id: run._id }, { $set: { status: 'done', outcomes } });
  const failures = outcomes.filter((outcome) => outcome.status === 'refused' || outcome.status === 'failed');
  if (failures.length > 0) runtime.logger.warn({ rule: rule.name, key, outcomes: failures }, 'rule actions refused or failed');
  return { status: 'done', plans, outcomes };
}
