/**
 * Checks on one field that need more than its meta-schema: a safe pattern,
 * a default that is a valid value, consistent bounds, unique option values,
 * index options that suit the type, a valid computed expression. Pure.
 */
import type { FieldError } from '../shared/errors.ts';
import { pointer } from '../logic/json-pointer.ts';
import { validateLogic } from '../logic/validate-logic.ts';
import { regexProblem } from '../query/regex-guard.ts';
import { createAjv, type Ajv } from './ajv.ts';
import { ajvToFieldErrors } from './ajv-errors.ts';
import { fieldValueSchema } from './field-schema.ts';
import type { FieldDefinition, FieldType } from './types.ts';

/** Types whose values make no sense as a unique key. */
const NOT_UNIQUE: ReadonlySet<FieldType> = new Set<FieldType>(['boolean', 'longtext', 'json', 'multienum', 'references']);
const NOT_INDEXED: ReadonlySet<FieldType> = new Set<FieldType>(['longtext', 'json']);

let ajv: Ajv | undefined;

/** Errors of `field` (at `fields/<index>`), given that it passed the meta-schema. */
export function validateField(field: FieldDefinition, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const push = (key: string, message: string) => errors.push({ path: pointer(at, key), message });
  if (field.pattern !== undefined) {
    const problem = regexProblem(field.pattern, undefined) ?? unicodeProblem(field.pattern);
    if (problem) push('pattern', `the pattern ${problem}`);
  }
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) push('max', 'must be >= min');
  if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) push('maxLength', 'must be >= minLength');
  const seen = new Map<string, number>();
  (field.options ?? []).forEach((option, i) => {
    const first = seen.get(option.value);
    if (first !== undefined) errors.push({ path: pointer(at, 'options', i, 'value'), message: `duplicates option ${first} ("${option.value}")` });
    else seen.set(option.value, i);
  });
  if (field.unique && NOT_UNIQUE.has(field.type)) push('unique', `a ${field.type} field cannot be unique`);
  if (field.indexed && NOT_INDEXED.has(field.type)) push('indexed', `a ${field.type} field cannot be indexed`);
  if (field.type === 'computed') {
    errors.push(...validateLogic(field.expression, { path: pointer(at, 'expression') }));
    if (field.resultType === 'enum' && !field.options) push('options', 'a computed enum field needs options');
  }
  if (field.required && field.readonly && field.default === undefined) {
    push('required', 'a read-only field that is required needs a default, or no record could be created');
  }
  if (field.default !== undefined && errors.every((e) => !e.path.startsWith(pointer(at, 'pattern')))) {
    errors.push(...defaultProblems(field, pointer(at, 'default')));
  }
  return errors;
}

/** Ajv compiles patterns with the `u` flag; a pattern valid only without it would fail at compile time. */
function unicodeProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch {
    return 'is not a valid regular expression in unicode mode';
  }
}

/** The default must be a value a client could have written (null is not a default). */
function defaultProblems(field: FieldDefinition, at: string): FieldError[] {
  if (field.default === null) return [{ path: at, message: 'must not be null (leave the default out instead)' }];
  return valueProblems(field, field.default, at);
}

/** Errors of `value` as a (non-null) value of `field`, at `at`; [] when a client could have written it. */
export function valueProblems(field: FieldDefinition, value: unknown, at: string): FieldError[] {
  ajv ??= createAjv();
  const schema = fieldValueSchema(field);
  try {
    const validate = ajv.compile(schema);
    return validate(value) ? [] : ajvToFieldErrors(validate.errors, value, { base: at });
  } catch (error) {
    return [{ path: at, message: `cannot be checked: ${error instanceof Error ? error.message : String(error)}` }];
  } finally {
    ajv.removeSchema(schema);
  }
}
