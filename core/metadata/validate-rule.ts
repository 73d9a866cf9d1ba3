/**
 * Validates a workflow rule: the meta-schema, then the entity it watches,
 * the fields its trigger and condition read (its own fields and the context
 * variables of core/rules/context-vars.ts), an activity trigger's link to
 * an activity entity and its types, each action against the entity (a
 * writable field and a valid value, a stage of its pipeline, a known role),
 * and cycles with the other enabled rules (core/rules/rule-graph.ts).
 * Conditions and expressions pass validateLogic. Pure.
 */
import { assertUnreachable, type FieldError } from '../shared/errors.ts';
import { dataPaths } from '../logic/data-paths.ts';
import { pointer } from '../logic/json-pointer.ts';
import { validateLogic } from '../logic/validate-logic.ts';
import { contextVarsFor, RECORD_VALUED_VARS } from '../rules/context-vars.ts';
import { cronProblem } from '../rules/cron.ts';
import { activityLinks, activityTypes } from '../rules/relations.ts';
import { ruleCycle } from '../rules/rule-graph.ts';
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
  /** when given, the rule must not form a cycle with these (the stored rules) */
  rules?: ReadonlyMap<string, RuleDefinition>;
}

/** What an expression of the rule may read: field names, and per record-valued variable the fields under it. */
interface Readable {
  top: ReadonlySet<string>;
  nested: ReadonlyMap<string, ReadonlySet<string>>;
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
  const nested = new Map<string, ReadonlySet<string>>();
  if (trigger.kind === 'record') {
    (trigger.fields ?? []).forEach((name, i) => {
      if (!known.has(name)) errors.push({ path: `/trigger/fields/${i}`, message: `names no field of ${entity.name} ("${name}")` });
    });
    if (trigger.on.includes('stageChange') && !entity.features?.pipeline) errors.push({ path: '/trigger/on', message: `${entity.name} has no pipeline, so its stage never changes` });
    nested.set('_previous', known);
  }
  if (trigger.kind === 'activity') {
    const links = activityLinks(ctx.entities, entity);
    if (links.length === 0) errors.push({ path: '/trigger/kind', message: `no activity entity (an entity with a timeline) references ${entity.name} or shares a reference with it` });
    const types = new Set(links.flatMap((link) => activityTypes(link) ?? []));
    (trigger.activityTypes ?? []).forEach((type, i) => {
      if (links.length > 0 && !types.has(type)) errors.push({ path: `/trigger/activityTypes/${i}`, message: `is not an activity type ("${type}")` });
    });
    nested.set('_activity', new Set(links.flatMap((link) => [...link.activity.fields.filter((f) => !f.retired).map((f) => f.name), ...platformFieldNames(link.activity.features)])));
  }
  if (rule.crossDirections === true && trigger.kind !== 'activity') errors.push({ path: '/crossDirections', message: 'only activity triggers reach other records; record and schedule rules act on the record itself' });
  if (trigger.kind === 'schedule' && trigger.timezone !== undefined && !isTimeZone(trigger.timezone)) {
    errors.push({ path: '/trigger/timezone', message: `"${trigger.timezone}" is not a known time zone` });
  } else if (trigger.kind === 'schedule') {
    const problem = cronProblem(trigger.cron, trigger.timezone);
    if (problem) errors.push({ path: '/trigger/cron', message: `is not a valid cron expression: ${problem}` });
  }
  const readable: Readable = { top: new Set([...known, ...contextVarsFor(trigger)]), nested };
  if (rule.condition !== undefined && errors.every((e) => !e.path.startsWith('/condition'))) errors.push(...unknownReads(rule.condition, readable, '/condition', entity.name));
  rule.actions.forEach((action, i) => errors.push(...actionErrors(action, `/actions/${i}`, entity, readable, ctx)));
  if (errors.length === 0 && ctx.rules) {
    const cycle = ruleCycle(rule, ctx.rules, ctx.entities);
    if (cycle) errors.push({ path: '/actions', message: `the rules would trigger each other in a loop (${cycle.join(' → ')}); only a rule re-triggering itself by moving to a stage or setting a field to a fixed value is allowed` });
  }
  return errors;
}

function unknownReads(expr: unknown, readable: Readable, at: string, entity: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const path of new Set(dataPaths(expr))) {
    const [name = '', sub] = path.split('.');
    if (name === '') continue;
    if (!readable.top.has(name)) {
      errors.push({ path: at, message: name.startsWith('_') ? `reads "${name}", which is not a context variable of this trigger` : `reads "${name}", which is not a field of ${entity}` });
      continue;
    }
    const fields = readable.nested.get(name);
    if (RECORD_VALUED_VARS.has(name) && fields && sub !== undefined && !fields.has(sub)) errors.push({ path: at, message: `reads "${name}.${sub}", which is not a field` });
  }
  return errors;
}

function actionErrors(action: RuleAction, at: string, entity: EntityDefinition, readable: Readable, ctx: RuleValidationContext): FieldError[] {
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
      return unknownReads(action.expression, readable, `${at}/expression`, entity.name);
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
    case 'createActivity': {
      if (action.assignTo === 'owner' && !entity.features?.owner) return [{ path: `${at}/assignTo`, message: `${entity.name} records have no owner` }];
      // Checked once activity entities exist at all (metadata under construction may not have them yet).
      const hasActivities = [...ctx.entities.values()].some((other) => other.timeline !== undefined);
      const links = activityLinks(ctx.entities, entity).filter((link) => activityTypes(link)?.includes(action.activityType) ?? true);
      if (hasActivities && links.length === 0) return [{ path: `${at}/activityType`, message: `no activity entity linked to ${entity.name} has the type "${action.activityType}"` }];
      return [];
    }
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
