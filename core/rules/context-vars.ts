/**
 * The context variables a rule condition (and a setField expression) may
 * read besides the record's own fields. All start with `_`, which no field
 * name can (names match ^[a-z]…), so they never shadow a field.
 *
 * | name | value |
 * | --- | --- |
 * | `_now` | ISO date-time of the evaluation (the schedule slot for scheduled runs) |
 * | `_event` | what fired: create, update, delete, stageChange, complete (activity), schedule |
 * | `_daysInStage` | days (fractional) since the record entered its current stage; null without a stage |
 * | `_daysSinceActivity` | days since the latest related activity that took place (a done status, by its timeline date, in the record's direction); null when there is none |
 * | `_changed` | record triggers: names of the fields the change touched |
 * | `_previous` | record triggers: the record before the change (`_previous.amount`) |
 * | `_activity` | activity triggers: the activity that fired (`_activity.type`, `_activity.status`) |
 */
import type { RuleTrigger } from '../metadata/types.ts';

export const COMMON_CONTEXT_VARS = ['_now', '_event', '_daysInStage', '_daysSinceActivity'] as const;
export const RECORD_CONTEXT_VARS = ['_changed', '_previous'] as const;
export const ACTIVITY_CONTEXT_VARS = ['_activity'] as const;

/** The context variables a rule with this trigger may read. */
export function contextVarsFor(trigger: RuleTrigger): ReadonlySet<string> {
  const names: string[] = [...COMMON_CONTEXT_VARS];
  if (trigger.kind === 'record') names.push(...RECORD_CONTEXT_VARS);
  if (trigger.kind === 'activity') names.push(...ACTIVITY_CONTEXT_VARS);
  return new Set(names);
}

/** Context variables that are records: their sub-paths name fields (of the rule's entity, or of the activity). */
export const RECORD_VALUED_VARS: ReadonlySet<string> = new Set(['_previous', '_activity']);
