/** One handler per rule action kind: a kind without a handler is a type error. */
import type { RuleAction } from '../../metadata/types.ts';
import { createActivity } from './create-activity.ts';
import { moveToStage } from './move-to-stage.ts';
import { notify } from './notify.ts';
import { setField } from './set-field.ts';
import type { ActionHandler, ActionHandlers } from './types.ts';

export const ACTION_HANDLERS: ActionHandlers = { moveToStage, setField, createActivity, notify };

export function handlerFor<A extends RuleAction>(action: A): ActionHandler<A> {
  return ACTION_HANDLERS[action.kind] as unknown as ActionHandler<A>;
}
