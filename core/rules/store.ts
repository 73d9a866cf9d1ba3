/**
 * The rule engine's own collections (platform collections start with `_`):
 * - `_rule_runs`: one document per (rule, event key), inserted *before* a
 *   rule acts; its unique index is the claim that makes a rule fire at most
 *   once per event or schedule slot, however often the event is delivered.
 *   It then records what each action did (done, unchanged, refused, failed);
 * - `_rule_reports`: rule chains cut at the depth limit;
 * - `_rule_schedule`: per schedule rule, the last slot it ran for.
 */
import type { Db, ObjectId } from 'mongodb';
import type { FieldError } from '../shared/errors.ts';

export const RULE_RUNS_COLLECTION = '_rule_runs';
export const RULE_REPORTS_COLLECTION = '_rule_reports';
export const RULE_SCHEDULE_COLLECTION = '_rule_schedule';

export type OutcomeStatus = 'done' | 'unchanged' | 'refused' | 'failed';

export interface ActionOutcome {
  kind: string;
  status: OutcomeStatus;
  /** what it did or would have done (stage, field and value, activity id, recipients) */
  detail?: Record<string, unknown>;
  errors?: FieldError[];
}

export interface RuleRun {
  _id?: ObjectId;
  rule: string;
  /** what fired it: `<event>:<entity>:<id>:v<version>…` or `schedule:<slot>:<id>` */
  key: string;
  entity: string;
  recordId: ObjectId;
  /** length of the rule chain that led here (0: a person's change or a schedule) */
  depth: number;
  at: Date;
  status: 'running' | 'done';
  outcomes: ActionOutcome[];
}

export interface RuleReport {
  kind: 'depthLimit';
  at: Date;
  entity: string;
  recordId: string;
  event: string;
  depth: number;
  /** the rules the cut event would have triggered */
  rules: string[];
  requestId: string;
}

export interface ScheduleState {
  _id: string;
  lastSlot: Date;
  lastRunAt: Date;
  scanned: number;
  fired: number;
}

export async function ensureRuleIndexes(db: Db): Promise<void> {
  await db.collection<RuleRun>(RULE_RUNS_COLLECTION).createIndex({ rule: 1, key: 1 }, { name: 'rule_claim', unique: true });
  await db.collection<RuleRun>(RULE_RUNS_COLLECTION).createIndex({ rule: 1, at: -1 }, { name: 'rule_runs_recent' });
  await db.collection<RuleReport>(RULE_REPORTS_COLLECTION).createIndex({ at: -1 }, { name: 'rule_reports_recent' });
  // The dry run reads an entity's changes over a period.
  await db.collection('_history').createIndex({ entity: 1, at: 1 }, { name: 'history_by_time' });
}

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
