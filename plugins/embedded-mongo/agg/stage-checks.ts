/**
 * Stage arguments MongoDB rejects when it parses a pipeline, checked before mingo runs
 * (mingo would accept, misread, or in the case of a negative $sample size, crash on them).
 */
import { CommandError } from '../errors.ts';
import { isNumeric, isPlainObject, toNumber, type Doc } from '../bson/types.ts';


function checkCount(spec: unknown): void {
  if (typeof spec !== 'string') throw new CommandError(40156, 'the count field must be a non-empty string');
  if (spec === '') throw new CommandError(40157, 'the count field must be a non-empty string');
  if (spec.startsWith('$')) throw new CommandError(40158, 'the count field cannot be a $-prefixed path');
  if (spec.includes('\0')) throw new CommandError(40159, 'the count field cannot contain a null byte');
  if (spec.includes('.')) throw new CommandError(40160, "the count field cannot contain '.'");
}

function checkSample(spec: unknown): void {
  if (!isPlainObject(spec)) throw new CommandError(28745, 'the $sample stage specification must be an object');
  for (const k of Object.keys(spec)) if (k !== 'size') throw new CommandError(28748, `unrecognized option to $sample: ${k}`);
  if (!('size' in spec)) throw new CommandError(28749, '$sample stage must specify a size');
  if (!isNumeric(spec.size)) throw new CommandError(28746, 'size argument to $sample must be a number');
  if (toNumber(spec.size) < 0) throw new CommandError(28747, 'size argument to $sample must not be negative');
}

function checkUnwind(spec: unknown): void {
  const path = isPlainObject(spec) ? spec.path : spec;
  if (!isPlainObject(spec) && typeof spec !== 'string') throw new CommandError(15981, 'expected either a string or an object as specification for $unwind stage');
  if (typeof path !== 'string') throw new CommandError(28812, 'no path specified to $unwind stage');
  if (!path.startsWith('$')) throw new CommandError(28818, `path option to $unwind stage should be prefixed with a '$': ${path}`);
  if (isPlainObject(spec)) {
    for (const k of Object.keys(spec)) {
      if (!['path', 'includeArrayIndex', 'preserveNullAndEmptyArrays'].includes(k)) throw new CommandError(28811, `unrecognized option to $unwind stage: ${k}`);
    }
    const idx = spec.includeArrayIndex;
    if (idx !== undefined && (typeof idx !== 'string' || idx === '' || idx.startsWith('$'))) {
      throw new CommandError(idx !== undefined && typeof idx !== 'string' ? 28810 : 28822, 'includeArrayIndex option to $unwind stage should not be prefixed with a \'$\'');
    }
    if (spec.preserveNullAndEmptyArrays !== undefined && typeof spec.preserveNullAndEmptyArrays !== 'boolean') {
      throw new CommandError(28809, 'expected a boolean for the preserveNullAndEmptyArrays option to $unwind stage');
    }
  }
}

function checkLookup(spec: unknown): void {
  if (!isPlainObject(spec)) throw new CommandError(9, 'the $lookup stage specification must be an object');
  for (const k of Object.keys(spec)) {
    if (!['from', 'as', 'localField', 'foreignField', 'let', 'pipeline'].includes(k)) throw new CommandError(9, `unknown argument to $lookup: ${k}`);
  }
  if (typeof spec.as !== 'string') throw new CommandError(9, "must specify 'as' field for a $lookup");
  if ((spec.localField === undefined) !== (spec.foreignField === undefined)) {
    throw new CommandError(9, "$lookup requires both or neither of 'localField' and 'foreignField' to be specified");
  }
  if (spec.localField === undefined && spec.pipeline === undefined) throw new CommandError(9, "$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified");
  if (spec.from !== undefined && typeof spec.from !== 'string') throw new CommandError(9, "$lookup 'from' field must be a string");
}

function checkDensify(spec: unknown): void {
  if (!isPlainObject(spec)) throw new CommandError(5733400, 'The $densify stage specification must be an object');
  const range = spec.range;
  if (!isPlainObject(range)) throw new CommandError(40414, "BSON field '$densify.range' is missing but a required field");
  // A zero or negative step would make mingo generate documents forever on the engine's thread.
  if (!isNumeric(range.step) || !(toNumber(range.step) > 0)) {
    throw new CommandError(5733401, 'the step parameter in a range statement must be a strictly positive numeric value');
  }
  // mingo stops explicit [lower, upper) bounds at the last existing value: refused, not answered wrongly.
  if (Array.isArray(range.bounds)) throw new CommandError(2, "$densify with explicit range bounds is not supported by the embedded engine (use 'full' or 'partition')");
}

const STAGE_CHECKS: Record<string, (spec: unknown) => void> = {
  $densify: checkDensify,
  $count: checkCount,
  $sample: checkSample,
  $unwind: checkUnwind,
  $lookup: checkLookup,
};

/** Stage arguments MongoDB rejects up front (mingo would accept or misread them). */
export function checkStageSpec(name: string, spec: unknown): void {
  STAGE_CHECKS[name]?.(spec);
  if (name === '$limit') {
    if (!isNumeric(spec) || !Number.isInteger(toNumber(spec))) throw new CommandError(15957, 'the limit must be specified as a number');
    if (toNumber(spec) <= 0) throw new CommandError(15958, 'the limit must be positive');
  } else if (name === '$skip') {
    if (!isNumeric(spec) || !Number.isInteger(toNumber(spec))) throw new CommandError(15972, 'Argument to $skip must be a number');
    if (toNumber(spec) < 0) throw new CommandError(15956, 'Argument to $skip cannot be negative');
  } else if (name === '$project') {
    if (!isPlainObject(spec)) throw new CommandError(15969, '$project specification must be an object');
    if (Object.keys(spec).length === 0) throw new CommandError(51272, '$project requires at least one output field');
    checkProjectionMix(spec, '');
  } else if (name === '$unset' && !(typeof spec === 'string' || (Array.isArray(spec) && spec.length > 0 && spec.every((s) => typeof s === 'string')))) {
    throw new CommandError(31002, '$unset specification must be a string or an array of strings');
  } else if ((name === '$addFields' || name === '$set' || name === '$match' || name === '$group' || name === '$facet') && !isPlainObject(spec)) {
    throw new CommandError(name === '$match' ? 15959 : 40272, `${name} specification must be an object`);
  }
}

/** $project is either an inclusion or an exclusion projection (`_id` aside), as in find. */
function checkProjectionMix(spec: Doc, prefix: string, seen: { mode?: 'in' | 'ex' } = {}): void {
  for (const [k, v] of Object.entries(spec)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v) && Object.keys(v).length > 0 && !Object.keys(v).some((x) => x.startsWith('$'))) {
      checkProjectionMix(v, path, seen);
      continue;
    }
    if (path === '_id') continue;
    const isExclusion = v === false || (isNumeric(v) && toNumber(v) === 0);
    if (isExclusion && seen.mode === 'in') throw new CommandError(31254, `Invalid $project :: caused by :: Cannot do exclusion on field ${path} in inclusion projection`);
    if (!isExclusion && seen.mode === 'ex') throw new CommandError(31253, `Invalid $project :: caused by :: Cannot do inclusion on field ${path} in exclusion projection`);
    seen.mode ??= isExclusion ? 'ex' : 'in';
  }
}

