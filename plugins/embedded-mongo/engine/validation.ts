/**
 * Document validation (`create` option `validator`, a query filter), with MongoDB's
 * validationLevel (strict | moderate | off) and validationAction (error | warn).
 */
import { CommandError } from '../errors.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
import { compileFilter, type DocPredicate } from '../query/filter.ts';
import type { Collection } from './collection.ts';

interface Validator {
  test: DocPredicate;
  level: 'strict' | 'moderate' | 'off';
  isWarnOnly: boolean;
}

const compiled = new WeakMap<Doc, Validator | null>();

/** Checks validator options (used by create) and returns the compiled validator, if any. */
export function compileValidator(options: Doc): Validator | null {
  const cached = compiled.get(options);
  if (cached !== undefined) return cached;
  let v: Validator | null = null;
  const spec = options.validator;
  if (spec !== undefined && !(isPlainObject(spec) && Object.keys(spec).length === 0)) {
    if (!isPlainObject(spec)) throw new CommandError(14, "'validator' must be an object");
    const level = options.validationLevel ?? 'strict';
    const action = options.validationAction ?? 'error';
    if (level !== 'strict' && level !== 'moderate' && level !== 'off') throw new CommandError(2, `Enumeration value '${String(level)}' for field 'validationLevel' is not a valid value.`);
    if (action !== 'error' && action !== 'warn') throw new CommandError(2, `Enumeration value '${String(action)}' for field 'validationAction' is not a valid value.`);
    v = { test: compileFilter(spec), level, isWarnOnly: action === 'warn' };
  }
  compiled.set(options, v);
  return v;
}

/**
 * Throws DocumentValidationFailure (121) when `next` violates the collection's validator.
 * `previous` is the stored version for updates (moderate level skips already-invalid ones).
 */
export function validateWrite(coll: Collection, next: Doc, previous: Doc | undefined, isBypassed: boolean): void {
  if (isBypassed) return;
  const v = compileValidator(coll.options);
  if (!v || v.level === 'off' || v.isWarnOnly) return;
  if (v.level === 'moderate' && previous && !v.test(previous)) return;
  if (v.test(next)) return;
  throw new CommandError(121, 'Document failed validation', {
    errInfo: { failingDocumentId: next._id, details: { operatorName: '$and', specifiedAs: coll.options.validator } },
  });
}
