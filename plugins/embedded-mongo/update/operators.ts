/**
 * Update operators applied to one resolved target (container + key). Each returns whether
 * it changed the document and throws MongoDB's errors for type mismatches.
 */
import { Timestamp } from 'bson';
import { CommandError } from '../errors.ts';
import { compareValues, valuesEqual } from '../bson/compare.ts';
import { cloneValue } from '../bson/clone.ts';
import { arith, numKind } from '../bson/numeric.ts';
import { bsonType, isNumeric, isPlainObject, toNumber, type Doc } from '../bson/types.ts';
import { compileFilter } from '../query/filter.ts';
import { docComparator, parseSort } from '../query/sort.ts';
import { deleteChild, getChild, hasChild, setChild, type Container } from './paths.ts';

export interface OpTarget {
  container: Container;
  key: string;
  /** Full path (for error messages). */
  path: string;
  /** The document's _id (for error messages). */
  id: unknown;
}

export type OperatorFn = (t: OpTarget, arg: unknown) => boolean;

const idText = (id: unknown): string => `{_id: ${JSON.stringify(id) ?? String(id)}}`;

function setIfChanged(t: OpTarget, value: unknown): boolean {
  if (hasChild(t.container, t.key)) {
    const old = getChild(t.container, t.key);
    if (bsonType(old) === bsonType(value) && valuesEqual(old, value)) return false;
  }
  setChild(t.container, t.key, value);
  return true;
}

function numericUpdate(name: '$inc' | '$mul', op: 'add' | 'mul'): OperatorFn {
  return (t, arg) => {
    if (!hasChild(t.container, t.key) || getChild(t.container, t.key) === undefined) {
      setChild(t.container, t.key, op === 'add' ? arg : arith('mul', 0, arg));
      return true;
    }
    const old = getChild(t.container, t.key);
    if (numKind(old) === null) {
      throw new CommandError(14, `Cannot apply ${name} to a value of non-numeric type. ${idText(t.id)} has the field '${t.key}' of non-numeric type ${bsonType(old)}`);
    }
    return setIfChanged(t, arith(op, old, arg));
  };
}

function extreme(sign: 1 | -1): OperatorFn {
  return (t, arg) => {
    if (!hasChild(t.container, t.key)) {
      setChild(t.container, t.key, cloneValue(arg));
      return true;
    }
    const old = getChild(t.container, t.key);
    if (compareValues(arg, old) * sign > 0) {
      setChild(t.container, t.key, cloneValue(arg));
      return true;
    }
    return false;
  };
}

function arrayAt(t: OpTarget, op: string, create: boolean): unknown[] | null {
  const v = getChild(t.container, t.key);
  if (v === undefined) {
    if (!create) return null;
    const arr: unknown[] = [];
    setChild(t.container, t.key, arr);
    return arr;
  }
  if (!Array.isArray(v)) {
    const code = op === '$pop' || op === '$pull' || op === '$pullAll' ? 14 : 2;
    throw new CommandError(code, `The field '${t.path}' must be an array but is of type ${bsonType(v)} in document ${idText(t.id)}`);
  }
  return v;
}

function eachArgs(arg: unknown): { values: unknown[]; mods: Doc } {
  if (isPlainObject(arg) && '$each' in arg) {
    const { $each, ...mods } = arg;
    if (!Array.isArray($each)) throw new CommandError(2, `The argument to $each in $push must be an array but it was of type: ${bsonType($each)}`);
    for (const k of Object.keys(mods)) {
      if (!['$slice', '$sort', '$position'].includes(k)) throw new CommandError(2, `Unrecognized clause in $push: ${k}`);
    }
    return { values: $each, mods };
  }
  return { values: [arg], mods: {} };
}

function sortArray(arr: unknown[], spec: unknown): unknown[] {
  if (isNumeric(spec)) {
    const dir = toNumber(spec);
    if (dir !== 1 && dir !== -1) throw new CommandError(2, 'The $sort element value must be either 1 or -1');
    return arr.slice().sort((a, b) => compareValues(a, b) * dir);
  }
  const parsed = parseSort(spec);
  if (!parsed) throw new CommandError(2, 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
  const cmp = docComparator(parsed);
  return arr.slice().sort((a, b) => cmp(isPlainObject(a) ? a : {}, isPlainObject(b) ? b : {}));
}

const $push: OperatorFn = (t, arg) => {
  const { values, mods } = eachArgs(arg);
  const arr = arrayAt(t, '$push', true) as unknown[];
  const before = arr.slice();
  let position = arr.length;
  if (mods.$position !== undefined) {
    if (!isNumeric(mods.$position)) throw new CommandError(2, 'The value for $position must be an integer value');
    const p = Math.trunc(toNumber(mods.$position));
    position = p < 0 ? Math.max(0, arr.length + p) : Math.min(p, arr.length);
  }
  arr.splice(position, 0, ...values.map(cloneValue));
  let result = arr;
  if (mods.$sort !== undefined) result = sortArray(result, mods.$sort);
  if (mods.$slice !== undefined) {
    if (!isNumeric(mods.$slice)) throw new CommandError(2, 'The value for $slice must be an integer value');
    const n = Math.trunc(toNumber(mods.$slice));
    result = n >= 0 ? result.slice(0, n) : result.slice(Math.max(0, result.length + n));
  }
  if (result !== arr) {
    arr.length = 0;
    arr.push(...result);
  }
  return !valuesEqual(before, arr) || before.length !== arr.length;
};

const $addToSet: OperatorFn = (t, arg) => {
  const values = isPlainObject(arg) && '$each' in arg
    ? (() => {
        if (!Array.isArray(arg.$each)) throw new CommandError(2, `The argument to $each in $addToSet must be an array but it was of type ${bsonType(arg.$each)}`);
        return arg.$each;
      })()
    : [arg];
  const existed = getChild(t.container, t.key) !== undefined;
  const arr = arrayAt(t, '$addToSet', true) as unknown[];
  let changed = !existed;
  for (const v of values) {
    if (!arr.some((x) => valuesEqual(x, v))) {
      arr.push(cloneValue(v));
      changed = true;
    }
  }
  return changed;
};

const $pop: OperatorFn = (t, arg) => {
  if (!isNumeric(arg) || (toNumber(arg) !== 1 && toNumber(arg) !== -1)) throw new CommandError(9, `$pop expects 1 or -1, found: ${String(arg)}`);
  const arr = arrayAt(t, '$pop', false);
  if (!arr || arr.length === 0) return false;
  if (toNumber(arg) === 1) arr.pop();
  else arr.shift();
  return true;
};

function pullPredicate(cond: unknown): (el: unknown) => boolean {
  if (isPlainObject(cond)) {
    const keys = Object.keys(cond);
    if (keys.length > 0 && keys.every((k) => k.startsWith('$')) && !['$and', '$or', '$nor', '$expr'].includes(keys[0])) {
      const pred = compileFilter({ v: cond });
      return (el) => pred({ v: el });
    }
    const pred = compileFilter(cond);
    return (el) => isPlainObject(el) && pred(el);
  }
  return (el) => valuesEqual(el, cond);
}

const $pull: OperatorFn = (t, arg) => {
  const arr = arrayAt(t, '$pull', false);
  if (!arr) return false;
  const test = pullPredicate(arg);
  const kept = arr.filter((el) => !test(el));
  if (kept.length === arr.length) return false;
  arr.length = 0;
  arr.push(...kept);
  return true;
};

const $pullAll: OperatorFn = (t, arg) => {
  if (!Array.isArray(arg)) throw new CommandError(2, `$pullAll requires an array argument but was given a ${bsonType(arg)}`);
  const arr = arrayAt(t, '$pullAll', false);
  if (!arr) return false;
  const kept = arr.filter((el) => !arg.some((v) => valuesEqual(el, v)));
  if (kept.length === arr.length) return false;
  arr.length = 0;
  arr.push(...kept);
  return true;
};

const $bit: OperatorFn = (t, arg) => {
  if (!isPlainObject(arg)) throw new CommandError(2, `The $bit modifier is not compatible with a ${bsonType(arg)}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`);
  const old = getChild(t.container, t.key) ?? 0;
  if (typeof old !== 'number' || !Number.isInteger(old)) {
    throw new CommandError(2, `Cannot apply $bit to a value of non-integral type.${idText(t.id)} has the field ${t.key} of non-integer type ${bsonType(old)}`);
  }
  let v = old;
  for (const [op, operand] of Object.entries(arg)) {
    if (typeof operand !== 'number' || !Number.isInteger(operand)) throw new CommandError(2, `The $bit modifier field must be an Integer(32/64 bit); a '${bsonType(operand)}' is not supported here`);
    if (op === 'and') v = Number(BigInt(v) & BigInt(operand));
    else if (op === 'or') v = Number(BigInt(v) | BigInt(operand));
    else if (op === 'xor') v = Number(BigInt(v) ^ BigInt(operand));
    else throw new CommandError(2, `The $bit modifier only supports 'and', 'or', and 'xor', not '${op}' which is an unknown operator: {${op}: ${String(operand)}}`);
  }
  return setIfChanged(t, v);
};

const $currentDate: OperatorFn = (t, arg) => {
  let value: unknown = new Date();
  if (isPlainObject(arg)) {
    if (arg.$type === 'timestamp') value = Timestamp.fromNumber(Math.floor(Date.now() / 1000) * 2 ** 32);
    else if (arg.$type !== 'date') throw new CommandError(2, `The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}`);
  } else if (typeof arg !== 'boolean') {
    throw new CommandError(2, `${bsonType(arg)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
  }
  setChild(t.container, t.key, value);
  return true;
};

export const OPERATORS: Record<string, OperatorFn> = {
  $set: (t, arg) => setIfChanged(t, cloneValue(arg)),
  $setOnInsert: (t, arg) => setIfChanged(t, cloneValue(arg)),
  $unset: (t) => {
    if (!hasChild(t.container, t.key)) return false;
    if (Array.isArray(t.container) && getChild(t.container, t.key) === null) return false;
    deleteChild(t.container, t.key);
    return true;
  },
  $inc: numericUpdate('$inc', 'add'),
  $mul: numericUpdate('$mul', 'mul'),
  $min: extreme(-1),
  $max: extreme(1),
  $push,
  $addToSet,
  $pop,
  $pull,
  $pullAll,
  $bit,
  $currentDate,
};

/** Validates an operator's argument once, before any document is touched. */
export function checkArgument(op: string, path: string, arg: unknown): void {
  if ((op === '$inc' || op === '$mul') && numKind(arg) === null) {
    const verb = op === '$inc' ? 'increment' : 'multiply';
    throw new CommandError(14, `Cannot ${verb} with non-numeric argument: {${path}: ${JSON.stringify(arg) ?? String(arg)}}`);
  }
}
