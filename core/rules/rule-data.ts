/**
 * What a rule's condition sees: the record's fields plus the context
 * variables of context-vars.ts, computed for one moment (`now`: the event,
 * the schedule slot, or a moment in the past for a dry run).
 */
import { evaluateLogic } from '../logic/evaluate-logic.ts';
import type { RuleDefinition } from '../metadata/types.ts';
import type { FieldError } from '../shared/errors.ts';
import { isTruthy } from '../pipelines/checks.ts';

export type RuleEvent = 'create' | 'update' | 'delete' | 'stageChange' | 'complete' | 'schedule';

export const DAY_MS = 86_400_000;

export interface RuleMoment {
  record: Record<string, unknown>;
  now: Date;
  event: RuleEvent;
  changed?: string[];
  previous?: Record<string, unknown>;
  activity?: Record<string, unknown>;
  /** the latest related activity's date, when the rule reads `_daysSinceActivity` (null: none) */
  lastActivityAt?: Date | null;
}

function days(since: unknown, now: Date): number | null {
  return since instanceof Date ? (now.getTime() - since.getTime()) / DAY_MS : null;
}

export function ruleData(moment: RuleMoment): Record<string, unknown> {
  const { record, now } = moment;
  return {
    ...record,
    _now: now.toISOString(),
    _event: moment.event,
    _daysInStage: days(record.stageEnteredAt, now),
    _daysSinceActivity: moment.lastActivityAt === undefined ? null : days(moment.lastActivityAt, now),
    ...(moment.changed ? { _changed: moment.changed } : {}),
    ...(moment.previous ? { _previous: moment.previous } : {}),
    ...(moment.activity ? { _activity: moment.activity } : {}),
  };
}

/** Whether the rule's condition holds (always without one); an expression that fails to evaluate does not hold. */
export function conditionHolds(rule: RuleDefinition, data: Record<string, unknown>): { holds: boolean; errors?: FieldError[] } {
  if (rule.condition === undefined) return { holds: true };
  const result = evaluateLogic(rule.condition, data, { path: '/condition' });
  if (!result.ok) return { holds: false, errors: result.errors };
  return { holds: isTruthy(result.value) };
}
