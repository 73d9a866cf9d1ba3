/**
 * A rule action in two steps: `plan` says what it would do to the record as
 * it is now, changing nothing (the dry run stops here, and a plan that
 * changes nothing is not carried out); `apply` does it, re-checking as it
 * goes. A refusal or failure becomes an outcome, never an exception.
 */
import type { ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import type { EntityDefinition, RuleAction, RuleDefinition } from '../../metadata/types.ts';
import type { FieldError } from '../../shared/errors.ts';
import type { RuleRuntime } from '../runtime.ts';
import type { ActionOutcome } from '../store.ts';

export type StoredState = Record<string, unknown> & { _id: ObjectId };

export interface ActionInput<A extends RuleAction = RuleAction> {
  runtime: RuleRuntime;
  rule: RuleDefinition;
  action: A;
  entity: EntityDefinition;
  record: StoredState;
  /** the record plus context variables, as the condition saw it */
  data: Record<string, unknown>;
  now: Date;
}

export interface ActionPlan {
  kind: RuleAction['kind'];
  /** false: doing it would change nothing, so it is not done */
  isChange: boolean;
  detail: Record<string, unknown>;
  /** the stage checks refuse it */
  refused?: FieldError[];
  /** it cannot be planned (an expression failed, nothing to create it on) */
  failed?: FieldError[];
  /** what it changes on the record (stored form): later actions are planned against the record with it */
  effect?: Record<string, unknown>;
}

export interface ApplyInput<A extends RuleAction = RuleAction> extends ActionInput<A> {
  plan: ActionPlan;
  ctx: RequestContext;
  /** the chain depth of the event that fired the rule */
  depth: number;
  /** the run's key (notifications are keyed by it) */
  key: string;
}

export interface ActionHandler<A extends RuleAction> {
  plan(input: ActionInput<A>): Promise<ActionPlan>;
  apply(input: ApplyInput<A>): Promise<ActionOutcome>;
}

export type ActionHandlers = { [K in RuleAction['kind']]: ActionHandler<Extract<RuleAction, { kind: K }>> };

/** An error a record operation threw, as outcome errors. */
export function errorsOf(error: unknown): FieldError[] {
  const list = (error as { errors?: unknown }).errors;
  if (Array.isArray(list) && list.length > 0) return list as FieldError[];
  return [{ path: '', message: error instanceof Error ? error.message : String(error) }];
}

/** Runs a write once more when someone else changed the record in between (the write re-reads and re-checks). */
export async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'VERSION_CONFLICT') throw error;
    return write();
  }
}

export function isRefusal(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'RULE_REFUSED';
}
