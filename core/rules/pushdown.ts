/**
 * Two sound shortcuts for evaluating one rule over many records, both read
 * from the top-level `and` of its condition (a falsy conjunct makes the
 * whole `and` falsy):
 * - `conditionFilter`: conjuncts comparing a string-valued stored field
 *   with string literals (`{"==": [{"var": "stage"}, "proposal"]}`, `in` a
 *   list) become a query filter, so a sweep reads only records that can
 *   match. Only strings: json-logic `==` is loose, MongoDB equality is
 *   strict, and for two strings they agree.
 * - `cheapConjuncts`: the conjuncts that do not read `_daysSinceActivity`,
 *   checked first so the activity query runs only for records that pass them.
 */
import type { Document, Filter } from 'mongodb';
import { dataPaths } from '../logic/data-paths.ts';
import type { EntityDefinition, FieldType, RuleDefinition } from '../metadata/types.ts';

const STRING_TYPES: ReadonlySet<FieldType> = new Set(['text', 'longtext', 'enum', 'email', 'phone', 'url']);

function conjuncts(condition: unknown): unknown[] {
  if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
    const and = (condition as Record<string, unknown>).and;
    if (Array.isArray(and)) return and.flatMap(conjuncts);
  }
  return [condition];
}

function stringFields(entity: EntityDefinition): ReadonlySet<string> {
  const names = entity.fields.filter((f) => !f.retired && STRING_TYPES.has(f.type)).map((f) => f.name);
  if (entity.features?.pipeline) names.push('stage');
  if (entity.features?.direction) names.push('direction');
  return new Set(names);
}

function varName(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const path = (value as Record<string, unknown>).var;
  const name = Array.isArray(path) ? path[0] : path;
  return typeof name === 'string' && !name.includes('.') && !(Array.isArray(path) && path.length > 1) ? name : undefined;
}

function clause(expr: unknown, fields: ReadonlySet<string>): Filter<Document> | undefined {
  if (expr === null || typeof expr !== 'object' || Array.isArray(expr)) return undefined;
  const [op, raw] = Object.entries(expr as Record<string, unknown>)[0] ?? [];
  if (!Array.isArray(raw) || raw.length !== 2) return undefined;
  if (op === '==' || op === '===') {
    const [a, b] = raw;
    const name = varName(a) ?? varName(b);
    const literal = varName(a) ? b : a;
    if (name && fields.has(name) && typeof literal === 'string') return { [name]: literal };
  }
  if (op === 'in') {
    const name = varName(raw[0]);
    const list = raw[1];
    if (name && fields.has(name) && Array.isArray(list) && list.length > 0 && list.every((item) => typeof item === 'string')) return { [name]: { $in: list } };
  }
  return undefined;
}

export function conditionFilter(rule: RuleDefinition, entity: EntityDefinition): Filter<Document> | undefined {
  if (rule.condition === undefined) return undefined;
  const fields = stringFields(entity);
  const clauses = conjuncts(rule.condition).map((part) => clause(part, fields)).filter((part): part is Filter<Document> => part !== undefined);
  if (clauses.length === 0) return undefined;
  return clauses.length === 1 ? clauses[0] : { $and: clauses };
}

const cheap = new WeakMap<RuleDefinition, { and: unknown[] } | null>();

/** The part of the condition that does not need `_daysSinceActivity` (null: there is none to check first). */
export function cheapConjuncts(rule: RuleDefinition): { and: unknown[] } | null {
  let found = cheap.get(rule);
  if (found === undefined) {
    const parts = conjuncts(rule.condition).filter((part) => part !== undefined && !dataPaths(part).some((path) => path.split('.')[0] === '_daysSinceActivity'));
    found = parts.length > 0 && rule.condition !== undefined ? { and: parts } : null;
    cheap.set(rule, found);
  }
  return found;
}
