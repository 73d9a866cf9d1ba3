/**
 * Cycles that make an entity unusable:
 * - required references that lead back to the entity (a → b → a, or a
 *   required reference to itself): no record of any entity on the cycle
 *   could be created first;
 * - computed fields that read themselves, directly or through other
 *   computed fields: there is no order to compute them in.
 * Optional references may form any cycle (parent/child, mutual links).
 */
import { dataPaths } from '../logic/data-paths.ts';
import type { EntityDefinition, FieldDefinition } from './types.ts';

function requiredTargets(def: EntityDefinition): Array<{ field: FieldDefinition; target: string }> {
  return def.fields
    .filter((f) => f.type === 'reference' && f.required && !f.retired && f.entity !== undefined)
    .map((field) => ({ field, target: field.entity as string }));
}

/** For each required reference of `def` that starts a cycle back to it: the field and the cycle. */
export function requiredReferenceCycles(def: EntityDefinition, entities: ReadonlyMap<string, EntityDefinition>): Array<{ field: string; cycle: string[] }> {
  const lookup = (name: string) => (name === def.name ? def : entities.get(name));
  const found: Array<{ field: string; cycle: string[] }> = [];
  for (const { field, target } of requiredTargets(def)) {
    const path = pathBack(target, def.name, lookup, new Set());
    if (path) found.push({ field: field.name, cycle: [def.name, ...path] });
  }
  return found;
}

/** Entity names from `from` to `goal` along required references, or undefined. */
function pathBack(from: string, goal: string, lookup: (name: string) => EntityDefinition | undefined, visited: Set<string>): string[] | undefined {
  if (from === goal) return [goal];
  if (visited.has(from)) return undefined;
  visited.add(from);
  const entity = lookup(from);
  if (!entity) return undefined;
  for (const { target } of requiredTargets(entity)) {
    const rest = pathBack(target, goal, lookup, visited);
    if (rest) return [from, ...rest];
  }
  return undefined;
}

/** The fields a computed field reads (first segment of each path it reads). */
export function computedDependencies(field: FieldDefinition): string[] {
  return [...new Set(dataPaths(field.expression).map((path) => path.split('.')[0]).filter((name) => name !== ''))];
}

/** Computed fields that read themselves, directly or through other computed fields, with the cycle. */
export function computedCycles(def: EntityDefinition): Array<{ field: string; cycle: string[] }> {
  const computed = new Map(def.fields.filter((f) => f.type === 'computed').map((f) => [f.name, computedDependencies(f)]));
  const found: Array<{ field: string; cycle: string[] }> = [];
  for (const name of computed.keys()) {
    const path = cycleFrom(name, name, computed, new Set());
    if (path) found.push({ field: name, cycle: [name, ...path] });
  }
  return found;
}

function cycleFrom(current: string, goal: string, graph: ReadonlyMap<string, string[]>, visited: Set<string>): string[] | undefined {
  for (const next of graph.get(current) ?? []) {
    if (next === goal) return [goal];
    if (visited.has(next) || !graph.has(next)) continue;
    visited.add(next);
    const rest = cycleFrom(next, goal, graph, visited);
    if (rest) return [next, ...rest];
  }
  return undefined;
}

/** Computed fields in an order where each comes after the computed fields it reads (acyclic input). */
export function computedOrder(def: EntityDefinition): FieldDefinition[] {
  const byName = new Map(def.fields.filter((f) => f.type === 'computed' && !f.retired).map((f) => [f.name, f]));
  const ordered: FieldDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (field: FieldDefinition) => {
    if (state.has(field.name)) return; // done, or a cycle (refused by validateEntity): stop
    state.set(field.name, 'visiting');
    for (const dep of computedDependencies(field)) {
      const target = byName.get(dep);
      if (target) visit(target);
    }
    state.set(field.name, 'done');
    ordered.push(field);
  };
  for (const field of byName.values()) visit(field);
  return ordered;
}
