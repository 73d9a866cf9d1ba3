/**
 * Cycles between rules, found at definition time from metadata alone: rule
 * A leads to rule B when one of A's actions can cause an event B's trigger
 * listens to (a stage move or field change on B's entity, an activity
 * created or completed that relates to B's records). A rule leading back to
 * itself through an idempotent action (moveToStage, setField to a literal:
 * doing it twice changes nothing the second time) is fine; every other
 * cycle is refused. Only enabled rules count: a disabled rule is checked
 * when it is enabled. Pure.
 */
import type { EntityDefinition, RuleAction, RuleDefinition } from '../metadata/types.ts';
import { assertUnreachable } from '../shared/errors.ts';
import { activityLinks, activityTypes } from './relations.ts';

/** An event an action may cause. */
interface Effect {
  entity: string;
  kind: 'create' | 'update';
  /** fields the event reports as changed */
  changed: ReadonlySet<string>;
  isStageChange: boolean;
  /** createActivity: the activity's type */
  activityType?: string;
  /** doing it again changes nothing */
  isIdempotent: boolean;
}

export function actionEffects(rule: RuleDefinition, action: RuleAction, entities: ReadonlyMap<string, EntityDefinition>): Effect[] {
  const entity = entities.get(rule.entity);
  if (!entity) return [];
  const computed = entity.fields.filter((f) => f.type === 'computed').map((f) => f.name);
  switch (action.kind) {
    case 'moveToStage':
      return [{ entity: entity.name, kind: 'update', changed: new Set(['stage']), isStageChange: true, isIdempotent: true }];
    case 'setField':
      // A computed field may follow the set one: count them all as possibly changed.
      return [{ entity: entity.name, kind: 'update', changed: new Set([action.field, ...computed]), isStageChange: false, isIdempotent: action.value !== undefined }];
    case 'createActivity':
      return activityLinks(entities, entity)
        .filter((link) => activityTypes(link)?.includes(action.activityType) ?? true)
        .map((link) => ({ entity: link.activity.name, kind: 'create' as const, changed: new Set(link.activity.fields.map((f) => f.name)), isStageChange: false, activityType: action.activityType, isIdempotent: false }));
    case 'notify':
      return [];
    default:
      return assertUnreachable(action);
  }
}

export function isTriggeredBy(rule: RuleDefinition, effect: Effect, entities: ReadonlyMap<string, EntityDefinition>): boolean {
  const trigger = rule.trigger;
  if (trigger.kind === 'schedule') return false;
  if (trigger.kind === 'record') {
    if (rule.entity !== effect.entity) return false;
    if (effect.kind === 'create') return trigger.on.includes('create');
    const fieldsMatch = !trigger.fields || trigger.fields.some((name) => effect.changed.has(name));
    return (trigger.on.includes('update') && fieldsMatch) || (trigger.on.includes('stageChange') && effect.isStageChange);
  }
  const target = entities.get(rule.entity);
  if (!target) return false;
  const link = activityLinks(entities, target).find((candidate) => candidate.activity.name === effect.entity);
  if (!link) return false;
  if (effect.kind === 'create') {
    const typeMatches = !trigger.activityTypes || effect.activityType === undefined || trigger.activityTypes.includes(effect.activityType);
    // A created item may already be done (recorded after the fact): it completes too.
    return typeMatches && (trigger.on.includes('create') || trigger.on.includes('complete'));
  }
  const status = link.options.statusField;
  return trigger.on.includes('complete') && status !== undefined && effect.changed.has(status);
}

/** The rules `rule` may trigger (itself only through an action that is not idempotent). */
function successors(rule: RuleDefinition, rules: readonly RuleDefinition[], entities: ReadonlyMap<string, EntityDefinition>): string[] {
  const out = new Set<string>();
  for (const action of rule.actions) {
    for (const effect of actionEffects(rule, action, entities)) {
      for (const other of rules) {
        if (!isTriggeredBy(other, effect, entities)) continue;
        if (other.name === rule.name && effect.isIdempotent) continue;
        out.add(other.name);
      }
    }
  }
  return [...out];
}

/**
 * A cycle of enabled rules through `candidate` (names, first = last =
 * candidate), or undefined. `existing` holds the stored rules; the
 * candidate replaces its stored version.
 */
export function ruleCycle(candidate: RuleDefinition, existing: ReadonlyMap<string, RuleDefinition>, entities: ReadonlyMap<string, EntityDefinition>): string[] | undefined {
  if (candidate.enabled === false) return undefined;
  const rules = [...existing.values()].filter((rule) => rule.name !== candidate.name && rule.enabled !== false);
  rules.push(candidate);
  const next = new Map(rules.map((rule) => [rule.name, successors(rule, rules, entities)]));
  // Depth-first from the candidate, looking for a way back to it.
  const visited = new Set<string>();
  const path: string[] = [candidate.name];
  const search = (name: string): boolean => {
    for (const to of next.get(name) ?? []) {
      if (to === candidate.name) {
        path.push(to);
        return true;
      }
      if (visited.has(to)) continue;
      visited.add(to);
      path.push(to);
      if (search(to)) return true;
      path.pop();
    }
    return false;
  };
  return search(candidate.name) ? path : undefined;
}
