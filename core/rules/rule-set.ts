/**
 * The enabled rules of the current metadata, indexed for the engine: by
 * watched entity for record triggers, by activity entity for activity
 * triggers, and the schedule rules; each list in ascending priority (then
 * name, so the order is stable). Derived once per metadata snapshot.
 */
import { dataPaths } from '../logic/data-paths.ts';
import type { MetadataSnapshot } from '../metadata/registry.ts';
import type { RuleDefinition } from '../metadata/types.ts';
import { activityLinks, type ActivityLink } from './relations.ts';

export interface ActivityRule {
  rule: RuleDefinition;
  link: ActivityLink;
}

export interface RuleSet {
  byRecordEntity: ReadonlyMap<string, RuleDefinition[]>;
  byActivityEntity: ReadonlyMap<string, ActivityRule[]>;
  schedule: RuleDefinition[];
}

const cache = new WeakMap<MetadataSnapshot, RuleSet>();

export function byPriority(a: RuleDefinition, b: RuleDefinition): number {
  return (a.priority ?? 0) - (b.priority ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function ruleSet(snapshot: MetadataSnapshot): RuleSet {
  const hit = cache.get(snapshot);
  if (hit) return hit;
  const rules = [...snapshot.byKind<RuleDefinition>('rule').values()].map((doc) => doc.definition).filter((rule) => rule.enabled !== false).sort(byPriority);
  const byRecordEntity = new Map<string, RuleDefinition[]>();
  const byActivityEntity = new Map<string, ActivityRule[]>();
  const schedule: RuleDefinition[] = [];
  for (const rule of rules) {
    const entity = snapshot.entities.get(rule.entity);
    if (!entity) continue;
    switch (rule.trigger.kind) {
      case 'record':
        byRecordEntity.set(rule.entity, [...(byRecordEntity.get(rule.entity) ?? []), rule]);
        break;
      case 'activity':
        for (const link of activityLinks(snapshot.entities, entity)) byActivityEntity.set(link.activity.name, [...(byActivityEntity.get(link.activity.name) ?? []), { rule, link }]);
        break;
      case 'schedule':
        schedule.push(rule);
        break;
    }
  }
  const set = { byRecordEntity, byActivityEntity, schedule };
  cache.set(snapshot, set);
  return set;
}

const reads = new WeakMap<RuleDefinition, ReadonlySet<string>>();

/** The top-level names a rule's condition and expressions read (fields and context variables). */
export function namesRead(rule: RuleDefinition): ReadonlySet<string> {
  let names = reads.get(rule);
  if (!names) {
    const exprs = [rule.condition, ...rule.actions.map((action) => (action.kind === 'setField' ? action.expression : undefined))].filter((expr) => expr !== undefined);
    names = new Set(exprs.flatMap((expr) => dataPaths(expr).map((path) => path.split('.')[0] ?? '')));
    reads.set(rule, names);
  }
  return names;
}
