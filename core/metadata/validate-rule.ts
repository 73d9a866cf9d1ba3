/**
 * Validates a workflow rule: the meta-schema, then the entity it watches,
 * the fields its trigger and condition read, and each action against the
 * entity (a writable field and a valid value, a stage of its pipeline, a
 * known role). Conditions and expressions pass validateLogic. Pure.
 */
import { assertUnreachable, type FieldError } from '../shared/errors.ts';
import { dataPaths } from '../logic/data-paths.ts';
import { pointer } from '../logic/json-pointer.ts';
import { validateLogic } from '../logic/validate-logic.ts';
import { checkMetaSchema } from './meta-schema.ts';
import { platformFieldNames } from './reserved-names.ts';
import type { EntityDefinition, PipelineDefinition, RoleDefinition, RuleAction, RuleDefinition } from './types.ts';
import { valueProblems } from './validate-field.ts';

export interface RuleValidationContext {
  entities: ReadonlyMap<string, EntityDefinition>;
  /** when given, moveToStage must name a stage of the entity's pipeline */
  pipelines?: ReadonlyMap<string, PipelineDefinition>;
  /** when given, notify recipients role:<name> must name a role */
  roles?: ReadonlyMap<string, RoleDefinition>;
}

export function validateRule(doc: unknown, ctx: RuleValidationContext): FieldError[] {
  const shapeErrors = checkMetaSchema('rule', doc);
  if (shapeErrors.length > 0) return shapeErrors;
  const rule = doc as RuleDefinition;
  const errors: FieldError[] = [];
  if (rule.condition !== undefined) errors.push(...validateLogic(rule.condition, { path: '/condition' }));
  rule.actions.forEach((action, i) => {
    if (action.kind === 'setField' && action.expression !== undefined) errors.push(...validateLogic(action.expression, { path: `/actions/${i}/expression` }));
  });
  const entity = ctx.entities.get(rule.entity);
  if (!entity) return [{ path: '/entity', message: `names an unknown entity "${rule.entity}"` }, ...errors];
  const known = new Set([...entity.fields.filter((f) => !f.retired).map((f) => f.name), ...platformFieldNames(entity.features)]);
  const trigger = rule.trigger;
  if (trigger.kind === 'record') {
    (trigger.fields ?? []).forEach((name, i) => {
      if (!known.has(name)) errors.push({ path: `/trigger/fields/${i}`, message: `names no field of ${entity.name} ("${name}")` });
    });
    if (trigger.on.includes('stageChange') && !entity.features?.pipeline) errors.push({ path: '/trigger/on', message: `${entity.name} has no pipeline, so its stage never changes` });
  }
  if (trigger.kind === 'schedule' && trigger.timezone !== undefined && !isTimeZone(trigger.timezone)) {
    errors.push({ path: '/trigger/timezone', message: `"${trigger.timezone}" is not a known time zone` });
  }
  if (rule.condition !== undefined && errors.every((e) => !e.path.startsWith('/condition'))) errors.push(...unknownReads(rule.condition, known, '/condition', entity.name));
  rule.actions.forEach((action, i) => errors.push(...actionErrors(action, `/actions/${i}`, entity, known, ctx)));
  return errors;
}

function unknownReads(expr: unknown, known: ReadonlySet<string>, at: string, entity: string): FieldError[] {
  return dataPaths(expr)
    .map((path) => path.split('.')[0])
    .filter((name) => name !== '' && !known.has(name))
    .map((name) => ({ path: at, message: `reads "${name}", which is not a field of ${entity}` }));
}

function actionErrors(action: RuleAction, at: string, entity: EntityDefinition, known: ReadonlySet<string>, ctx: RuleValidationContext): FieldError[] {
  switch (action.kind) {
    case 'setField': {
      const field = entity.fields.find((f) => f.name === action.field && !f.retired);
      if (!field) return [{ path: `${at}/field`, message: `names no field of ${entity.name} ("${action.field}")` }];
      if (field.type === 'computed') return [{ path: `${at}/field`, message: `"${field.name}" is computed and cannot be set` }];
      const hasValue = action.value !== undefined;
      if (hasValue === (action.expression !== undefined)) return [{ path: at, message: 'give exactly one of value and expression' }];
      if (hasValue) {
        if (action.value === null) return field.required ? [{ path: `${at}/value`, message: `"${field.name}" is required and cannot be cleared` }] : [];
        return valueProblems(field, action.value, `${at}/value`);
      }
      return unknownReads(action.expression, known, `${at}/expression`, entity.name);
    }
    case 'moveToStage': {
      const name = entity.features?.pipeline;
      if (!name) return [{ path: `${at}/stage`, message: `${entity.name} has no pipeline` }];
      const pipeline = ctx.pipelines?.get(name);
      if (pipeline && !pipeline.stages.some((s) => s.name === action.stage)) {
        return [{ path: `${at}/stage`, message: `names no stage of the pipeline "${name}" ("${action.stage}")` }];
      }
      return [];
    }
    case 'notify':
      return action.to.flatMap((recipient, j) => {
        const role = recipient.startsWith('role:') ? recipient.slice(5) : undefined;
        if (role && ctx.roles && !ctx.roles.has(role)) return [{ path: pointer(at, 'to', j), message: `names an unknown role "${role}"` }];
        if (recipient === 'owner' && !entity.features?.owner) return [{ path: pointer(at, 'to', j), message: `${entity.name} records have no owner` }];
        return [];
      });
    case 'createActivity':
      if (action.assignTo === 'owner' && !entity.features?.owner) return [{ path: `${at}/assignTo`, message: `${entity.name} records have no owner` }];
      return [];
    default:
      return assertUnreachable(action);
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
