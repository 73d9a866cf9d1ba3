/** setField: a literal or a json-logic value, written through the update operation (validated like any write). */
import { evaluateLogic } from '../../logic/evaluate-logic.ts';
import { numberToDecimal } from '../../metadata/decimal.ts';
import type { FieldDefinition, RuleAction } from '../../metadata/types.ts';
import { isSameValue } from '../../records/history.ts';
import { updateRecord } from '../../records/operations/update.ts';
import { toStoredFields } from '../../records/write-input.ts';
import { errorsOf, retryOnConflict, type ActionHandler, type ActionPlan } from './types.ts';

type SetField = Extract<RuleAction, { kind: 'setField' }>;

/** Expressions compute numbers; money travels as decimal strings. */
function asFieldValue(field: FieldDefinition | undefined, value: unknown): unknown {
  if (field?.type === 'money' && typeof value === 'number') return numberToDecimal(value) ?? value;
  return value;
}

export const setField: ActionHandler<SetField> = {
  async plan({ action, entity, record, data }): Promise<ActionPlan> {
    const field = entity.fields.find((f) => f.name === action.field);
    let value: unknown = action.value;
    if (action.expression !== undefined) {
      const result = evaluateLogic(action.expression, data, { path: '/expression' });
      if (!result.ok) return { kind: 'setField', isChange: true, detail: { field: action.field }, failed: result.errors };
      value = result.value;
    }
    value = asFieldValue(field, value ?? null);
    const detail = { field: action.field, from: data[action.field] ?? null, value };
    try {
      const stored = toStoredFields(entity, { [action.field]: value })[action.field] ?? null;
      return { kind: 'setField', isChange: !isSameValue(record[action.field] ?? null, stored), detail, effect: { [action.field]: stored } };
    } catch {
      // Not a valid value for the field: the write will say why.
      return { kind: 'setField', isChange: true, detail };
    }
  },

  async apply({ runtime, entity, record, plan, ctx, depth }) {
    if (plan.failed) return { kind: 'setField', status: 'failed', detail: plan.detail, errors: plan.failed };
    try {
      await retryOnConflict(() => updateRecord({ ctx, deps: runtime.records, entity: entity.name, id: String(record._id), data: { [String(plan.detail.field)]: plan.detail.value }, ruleDepth: depth + 1 }));
      return { kind: 'setField', status: 'done', detail: plan.detail };
    } catch (error) {
      return { kind: 'setField', status: 'failed', detail: plan.detail, errors: errorsOf(error) };
    }
  },
};
