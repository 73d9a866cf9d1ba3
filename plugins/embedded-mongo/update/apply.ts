/**
 * Compiles an update (operator document, replacement document or aggregation pipeline)
 * once per statement, then applies it to copies of matched documents. Stored documents
 * are never mutated: apply() returns a new document.
 */
import { Aggregator } from 'mingo/aggregator';
import { CommandError } from '../errors.ts';
import { cloneDoc } from '../bson/clone.ts';
import { valuesEqual } from '../bson/compare.ts';
import { formatValue } from '../bson/format.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
import { DEFAULT_OPTIONS, mingoOptions } from '../query/context.ts';
import { compileFilter } from '../query/filter.ts';
import { checkArgument, OPERATORS } from './operators.ts';
import { checkConflicts, checkPath, getChild, hasChild, resolveTargets, setChild, type PositionalContext } from './paths.ts';
import { positionalIndex } from './positional.ts';

export interface ApplyResult {
  doc: Doc;
  isModified: boolean;
}

export interface CompiledUpdate {
  kind: 'operators' | 'replacement' | 'pipeline';
  /** Applies to a copy of `doc`; `isInsert` enables $setOnInsert (upserts). */
  apply(doc: Doc, filter: Doc | undefined, isInsert: boolean): ApplyResult;
}

const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

function compileArrayFilters(arrayFilters: unknown[] | undefined): Map<string, (el: unknown) => boolean> {
  const out = new Map<string, (el: unknown) => boolean>();
  for (const f of arrayFilters ?? []) {
    if (!isPlainObject(f) || Object.keys(f).length === 0) throw new CommandError(2, 'Cannot use an expression without a top-level field name in arrayFilters');
    const ids = new Set(Object.keys(f).map((k) => k.split('.')[0]));
    if (ids.size !== 1) throw new CommandError(9, 'Error parsing array filter :: caused by :: Expected a single top-level field name, found ' + [...ids].join(' and '));
    const [id] = ids;
    if (!/^[a-z][a-zA-Z0-9]*$/.test(id)) throw new CommandError(2, `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`);
    if (out.has(id)) throw new CommandError(9, `Found multiple array filters with the same top-level field name ${id}`);
    const pred = compileFilter(f);
    out.set(id, (el) => pred({ [id]: el }));
  }
  return out;
}

const NUMERIC = /^\d+$/;

function comparePaths(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (NUMERIC.test(x) && NUMERIC.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function compileOperators(update: Doc, arrayFilters: unknown[] | undefined): CompiledUpdate {
  const steps: Array<{ op: string; path: string; parts: string[]; arg: unknown }> = [];
  const allPaths: string[] = [];
  for (const [op, args] of Object.entries(update)) {
    if (!op.startsWith('$')) {
      throw new CommandError(9, `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (op !== '$rename' && !OPERATORS[op]) {
      throw new CommandError(9, `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(args)) {
      throw new CommandError(9, `Modifiers operate on fields but we found type ${typeof args === 'string' ? 'string' : Array.isArray(args) ? 'array' : typeof args} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(args)}}`);
    }
    for (const [path, arg] of Object.entries(args)) {
      const parts = checkPath(path, op);
      checkArgument(op, path, arg);
      if (op === '$rename') {
        if (typeof arg !== 'string') throw new CommandError(2, `The 'to' field for $rename must be a string: ${path}: ${formatValue(arg)}`);
        if (arg === path) throw new CommandError(2, `The source and target field for $rename must differ: ${path}: "${arg}"`);
        if (path.includes('$') || arg.includes('$')) throw new CommandError(2, `The source field for $rename may not be dynamic: ${path}`);
        checkPath(arg, op);
        allPaths.push(arg);
      }
      allPaths.push(path);
      steps.push({ op, path, parts, arg });
    }
  }
  checkConflicts(allPaths);
  // MongoDB 5.0+ applies fields in lexicographic order (numeric names numerically), whatever
  // the operator: it decides the order in which new fields are appended.
  steps.sort((x, y) => comparePaths(x.op === '$rename' ? (x.arg as string) : x.path, y.op === '$rename' ? (y.arg as string) : y.path));
  const filters = compileArrayFilters(arrayFilters);
  return {
    kind: 'operators',
    apply(original, filter, isInsert) {
      const doc = cloneDoc(original);
      const pos: PositionalContext = {
        positional: (arrayPath) => positionalIndex(original, filter, arrayPath, isInsert),
        arrayFilters: filters,
        usedFilters: new Set(),
      };
      let isModified = false;
      for (const s of steps) {
        if (s.op === '$setOnInsert' && !isInsert) continue;
        if (s.op === '$rename') {
          isModified = rename(doc, s.path, s.arg as string, pos) || isModified;
          continue;
        }
        const create = s.op !== '$unset' && s.op !== '$pop' && s.op !== '$pull' && s.op !== '$pullAll';
        for (const t of resolveTargets(doc, s.parts, create, pos)) {
          isModified = OPERATORS[s.op]({ ...t, path: s.path, id: original._id }, s.arg) || isModified;
        }
      }
      for (const id of filters.keys()) {
        if (!pos.usedFilters.has(id)) throw new CommandError(9, `The array filter for identifier '${id}' was not used in the update { ${Object.keys(update).join(', ')} }`);
      }
      return { doc, isModified };
    },
  };
}

/** $rename refuses paths through arrays (MongoDB: "cannot be an array element … has an array field called 'a'"). */
function checkNoArrayOnPath(doc: Doc, path: string, role: 'source' | 'destination'): void {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < parts.length - 1 && isPlainObject(cur); i++) {
    cur = cur[parts[i]];
    if (Array.isArray(cur)) {
      throw new CommandError(2, `The ${role} field cannot be an array element, '${path}' in doc with _id: ${formatValue(doc._id)} has an array field called '${parts[i]}'`);
    }
  }
}

function rename(doc: Doc, from: string, to: string, pos: PositionalContext): boolean {
  checkNoArrayOnPath(doc, from, 'source');
  const sources = resolveTargets(doc, from.split('.'), false, pos);
  const source = sources.find((t) => !Array.isArray(t.container) && hasChild(t.container, t.key));
  if (!source) return false;
  checkNoArrayOnPath(doc, to, 'destination');
  const value = getChild(source.container, source.key);
  delete (source.container as Doc)[source.key];
  const [target] = resolveTargets(doc, to.split('.'), true, pos);
  setChild(target.container, target.key, value);
  return true;
}

function compileReplacement(update: Doc): CompiledUpdate {
  for (const k of Object.keys(update)) {
    if (k.startsWith('$')) throw new CommandError(52, `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document.`);
  }
  return {
    kind: 'replacement',
    apply(original) {
      const { _id, ...rest } = cloneDoc(update);
      const doc: Doc = { _id: original._id, ...rest };
      if (_id !== undefined && original._id !== undefined && !valuesEqual(_id, original._id)) {
        throw new CommandError(66, `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(_id)}`);
      }
      if (original._id === undefined && _id !== undefined) doc._id = _id;
      return { doc, isModified: !valuesEqual(doc, original) };
    },
  };
}

function compilePipeline(stages: unknown[], variables: Doc | undefined): CompiledUpdate {
  for (const st of stages) {
    if (!isPlainObject(st) || Object.keys(st).length !== 1) throw new CommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
    const name = Object.keys(st)[0];
    if (!PIPELINE_STAGES.has(name)) throw new CommandError(72, `${name} is not allowed to be used within an update`);
  }
  const agg = new Aggregator(stages as Doc[], variables ? mingoOptions({ variables }) : DEFAULT_OPTIONS);
  return {
    kind: 'pipeline',
    apply(original) {
      const [result] = agg.run([cloneDoc(original)]) as Doc[];
      if (!isPlainObject(result)) throw new CommandError(2, 'pipeline update produced no document');
      if (original._id !== undefined && !valuesEqual(result._id, original._id)) {
        throw new CommandError(66, `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(result._id)}`);
      }
      const { _id, ...rest } = result;
      const doc: Doc = _id === undefined ? rest : { _id, ...rest };
      return { doc, isModified: !valuesEqual(doc, original) };
    },
  };
}

/** Compiles the `u` of an update statement (or findAndModify's `update`). */
export function compileUpdate(u: unknown, arrayFilters: unknown[] | undefined, variables?: Doc): CompiledUpdate {
  if (Array.isArray(u)) {
    if (arrayFilters?.length) throw new CommandError(72, 'arrayFilters may not be specified for pipeline-style updates');
    return compilePipeline(u, variables);
  }
  if (!isPlainObject(u)) throw new CommandError(14, 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  if (keys.length > 0 && keys[0].startsWith('$')) return compileOperators(u, arrayFilters);
  if (arrayFilters?.length) throw new CommandError(9, 'arrayFilters may not be specified for replacement-style updates');
  return compileReplacement(u);
}

/** Checks the _id of an updated document did not change (operator updates). */
export function checkIdUnchanged(before: Doc, after: Doc): void {
  if (before._id === undefined) return;
  if (!('_id' in after) || !valuesEqual(before._id, after._id)) {
    throw new CommandError(66, `Performing an update on the path '_id' would modify the immutable field '_id'`);
  }
}

export { setChild };
