/**
 * find() projections with MongoDB's rules: inclusion or exclusion (never both, `_id` aside),
 * `_id` included unless excluded, sub-paths through arrays, `$slice`, `$elemMatch`, the
 * positional `field.$`, and aggregation expressions for computed fields.
 */
import { evalExpr } from 'mingo/core';
import { CommandError } from '../errors.ts';
import { isNumeric, isPlainObject, toNumber, type Doc } from '../bson/types.ts';
import { DEFAULT_OPTIONS, isExpressionName } from './context.ts';
import { compileFilter } from './filter.ts';
import { withRoot } from './mingo-options.ts';

type Rule =
  | { kind: 'include' }
  | { kind: 'exclude' }
  | { kind: 'slice'; skip: number; limit: number | null }
  | { kind: 'elemMatch'; test: (el: unknown) => boolean }
  | { kind: 'positional'; tests: Array<(el: unknown) => boolean> }
  | { kind: 'computed'; expr: unknown };

export type Projector = (doc: Doc) => Doc;

function parseSlice(path: string, v: unknown): Rule {
  if (isNumeric(v)) {
    const n = toNumber(v);
    return n >= 0 ? { kind: 'slice', skip: 0, limit: n } : { kind: 'slice', skip: n, limit: null };
  }
  if (Array.isArray(v) && v.length === 2 && isNumeric(v[0]) && isNumeric(v[1])) {
    const limit = toNumber(v[1]);
    if (limit <= 0) throw new CommandError(28724, `First argument to $slice must be an array, second argument must be a positive number`);
    return { kind: 'slice', skip: toNumber(v[0]), limit };
  }
  throw new CommandError(28667, `Invalid $slice syntax for field ${path}`);
}

function flatten(spec: Doc, prefix: string, out: Array<[string, unknown]>): void {
  for (const [k, v] of Object.entries(spec)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (k.startsWith('$')) throw new CommandError(2, `FieldPath field names may not start with '$'. Consider using $getField or $setField.`);
    if (isPlainObject(v) && Object.keys(v).length > 0 && !Object.keys(v).some((x) => x.startsWith('$'))) flatten(v, path, out);
    else out.push([path, v]);
  }
}

/** Field conditions of a filter, including those under $and (which the positional `$` may use). */
function conditionsOf(filter: Doc): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) for (const sub of v) if (isPlainObject(sub)) out.push(...conditionsOf(sub));
    if (!k.startsWith('$')) out.push([k, v]);
  }
  return out;
}

function ruleFor(path: string, v: unknown, filter: Doc): Rule {
  if (path.endsWith('.$')) {
    const field = path.slice(0, -2);
    const tests = conditionsOf(filter)
      .filter(([k]) => k === field || k.startsWith(field + '.'))
      .map(([k, cond]) => {
        const pred = compileFilter({ [k]: cond });
        return (el: unknown) => pred({ [field]: [el] } as Doc) || pred(setPath({}, field, [el]));
      });
    if (tests.length === 0) throw new CommandError(31277, `Positional projection '${path}' does not match the query document.`);
    return { kind: 'positional', tests };
  }
  if (v === true || (isNumeric(v) && toNumber(v) !== 0)) return { kind: 'include' };
  if (v === false || (isNumeric(v) && toNumber(v) === 0)) return { kind: 'exclude' };
  if (isPlainObject(v)) {
    const [op] = Object.keys(v);
    if (op === '$slice' && Object.keys(v).length === 1) return parseSlice(path, v.$slice);
    if (op === '$elemMatch') {
      if (path.includes('.')) throw new CommandError(31275, 'Cannot use $elemMatch projection on a nested field.');
      const pred = compileFilter({ x: { $elemMatch: v.$elemMatch } });
      return { kind: 'elemMatch', test: (el) => pred({ x: [el] }) };
    }
    if (op === '$meta') throw new CommandError(2, `$meta projection of '${String(v.$meta)}' is not supported by the embedded engine`);
    if (Object.keys(v).length === 1 && op.startsWith('$') && !isExpressionName(op)) throw new CommandError(31325, `Unknown expression ${op}`);
  }
  return { kind: 'computed', expr: v };
}

function setPath(doc: Doc, path: string, value: unknown): Doc {
  const parts = path.split('.');
  let cur = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isPlainObject(cur[parts[i]])) cur[parts[i]] = {};
    cur = cur[parts[i]] as Doc;
  }
  cur[parts[parts.length - 1]] = value;
  return doc;
}

interface Node {
  rule?: Rule;
  children: Map<string, Node>;
}

function buildTree(entries: Array<[string, Rule]>): Node {
  const root: Node = { children: new Map() };
  for (const [path, rule] of entries) {
    let node = root;
    const parts = path.replace(/\.\$$/, '').split('.');
    parts.forEach((p, i) => {
      if (node.rule) throw new CommandError(31249, `Path collision at ${path} remaining portion ${parts.slice(i).join('.')}`);
      let next = node.children.get(p);
      if (!next) {
        next = { children: new Map() };
        node.children.set(p, next);
      }
      node = next;
    });
    if (node.rule || node.children.size) throw new CommandError(31250, `Path collision at ${path}`);
    node.rule = rule;
  }
  return root;
}

function applySlice(v: unknown, r: Extract<Rule, { kind: 'slice' }>): unknown {
  if (!Array.isArray(v)) return v;
  if (r.limit === null) return v.slice(Math.max(0, v.length + r.skip));
  const start = r.skip < 0 ? Math.max(0, v.length + r.skip) : r.skip;
  return v.slice(start, start + r.limit);
}

/** Applies special rules (slice/elemMatch/positional) to an existing value; undefined = drop. */
function applySpecial(v: unknown, rule: Rule): unknown {
  switch (rule.kind) {
    case 'slice':
      return applySlice(v, rule);
    case 'elemMatch': {
      if (!Array.isArray(v)) return undefined;
      const hit = v.find(rule.test);
      return hit === undefined ? undefined : [hit];
    }
    case 'positional': {
      if (!Array.isArray(v)) return undefined;
      const hit = v.find((el) => rule.tests.every((t) => t(el)));
      return hit === undefined ? undefined : [hit];
    }
    default:
      return v;
  }
}

function includeTree(value: unknown, node: Node, root: Doc): unknown {
  if (Array.isArray(value)) {
    return value.filter((el) => isPlainObject(el) || Array.isArray(el)).map((el) => includeTree(el, node, root));
  }
  if (!isPlainObject(value)) return undefined;
  const out: Doc = {};
  for (const [k, v] of Object.entries(value)) {
    const child = node.children.get(k);
    if (!child) continue;
    if (child.rule?.kind === 'computed') continue;
    if (child.rule && child.rule.kind !== 'include') {
      const r = applySpecial(v, child.rule);
      if (r !== undefined) out[k] = r;
    } else if (child.rule) out[k] = v;
    else {
      const sub = includeTree(v, child, root);
      if (sub !== undefined) out[k] = sub;
    }
  }
  for (const [k, child] of node.children) {
    if (child.rule?.kind === 'computed') {
      const r = evalExpr(root, child.rule.expr, withRoot(DEFAULT_OPTIONS, root));
      if (r !== undefined) out[k] = r;
    }
  }
  return out;
}

function excludeTree(value: unknown, node: Node): unknown {
  if (Array.isArray(value)) return value.map((el) => (isPlainObject(el) || Array.isArray(el) ? excludeTree(el, node) : el));
  if (!isPlainObject(value)) return value;
  const out: Doc = {};
  for (const [k, v] of Object.entries(value)) {
    const child = node.children.get(k);
    if (!child) out[k] = v;
    else if (child.rule?.kind === 'exclude') continue;
    else if (child.rule) {
      const r = applySpecial(v, child.rule);
      if (r !== undefined) out[k] = r;
    } else out[k] = excludeTree(v, child);
  }
  return out;
}

/** Compiles a find projection; null means "return documents whole". */
export function compileProjection(spec: unknown, filter: Doc = {}): Projector | null {
  if (spec === undefined || spec === null) return null;
  if (!isPlainObject(spec)) throw new CommandError(14, 'projection must be an object');
  if (Object.keys(spec).length === 0) return null;
  const flat: Array<[string, unknown]> = [];
  flatten(spec, '', flat);
  let idRule: Rule | undefined;
  const rules: Array<[string, Rule]> = [];
  // As MongoDB's projection parser: $slice and $elemMatch do not decide the mode.
  let mode: 'inclusion' | 'exclusion' | undefined;
  let hasSlice = false;
  let hasElemMatch = false;
  for (const [path, v] of flat) {
    const rule = ruleFor(path, v, filter);
    if (path === '_id' && (rule.kind === 'include' || rule.kind === 'exclude')) {
      idRule = rule;
      continue;
    }
    if (rule.kind === 'exclude') {
      if (mode === 'inclusion') throw new CommandError(31254, `Cannot do exclusion on field ${path} in inclusion projection`);
      mode = 'exclusion';
    } else if (rule.kind === 'slice') hasSlice = true;
    else if (rule.kind === 'elemMatch') hasElemMatch = true;
    else {
      if (mode === 'exclusion') {
        if (rule.kind !== 'computed') throw new CommandError(31253, `Cannot do inclusion on field ${path} in exclusion projection`);
        if (isPlainObject(v)) throw new CommandError(31252, 'Cannot use expression other than $meta in exclusion projection');
        throw new CommandError(31310, `Cannot use an expression ${path}: ${JSON.stringify(v)} in an exclusion projection`);
      }
      mode = 'inclusion';
    }
    rules.push([path, rule]);
  }
  mode ??= idRule?.kind === 'include' ? 'inclusion' : hasSlice ? 'exclusion' : hasElemMatch ? 'inclusion' : 'exclusion';
  const tree = buildTree(rules);
  const isIdExcluded = idRule?.kind === 'exclude';
  if (mode === 'inclusion') {
    return (doc) => {
      const body = includeTree(doc, tree, doc) as Doc;
      if (isIdExcluded || !('_id' in doc)) return body;
      return { _id: doc._id, ...body };
    };
  }
  return (doc) => {
    const out = excludeTree(doc, tree) as Doc;
    if (isIdExcluded) delete out._id;
    return out;
  };
}
