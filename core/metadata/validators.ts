/**
 * Compiled record validators, built once per entity revision (STYLE §7):
 * the first call for a definition compiles, later calls reuse it. The key is
 * `${entity}@${revision}` plus a fingerprint of the definition, because one
 * process may serve several databases (tests, tools) whose entities share a
 * name and revision number but not their fields. A few recent definitions
 * are kept per entity; older ones are dropped and their schemas freed.
 */
import { createHash } from 'node:crypto';
import type { AnySchema, ValidateFunction } from 'ajv';
import type { FieldError } from '../shared/errors.ts';
import { createAjv, type Ajv } from './ajv.ts';
import { ajvToFieldErrors } from './ajv-errors.ts';
import { compileEntitySchema } from './compile-schema.ts';
import { FEATURE_FIELDS, SYSTEM_FIELDS, type EntityDefinition } from './types.ts';

export interface RecordValidators {
  /** `${entity}@${revision}` this pair was compiled for */
  key: string;
  /** errors of a create body (JSON form); [] when valid */
  create(data: unknown): FieldError[];
  /** errors of an update body (JSON merge patch); [] when valid */
  update(data: unknown): FieldError[];
}

interface Entry {
  validators: RecordValidators;
  schemas: AnySchema[];
}

const KEPT_PER_ENTITY = 4;

let ajv: Ajv | undefined;
/** Per entity name, most recently used first. */
const cache = new Map<string, Entry[]>();
const fingerprints = new WeakMap<EntityDefinition, string>();

/** Content hash of a definition object, computed once per object (registry snapshots are immutable). */
function fingerprint(def: EntityDefinition): string {
  let hash = fingerprints.get(def);
  if (hash === undefined) {
    hash = createHash('sha1').update(JSON.stringify(def)).digest('base64url');
    fingerprints.set(def, hash);
  }
  return hash;
}
let compilations = 0;

/** How many times validators were compiled in this process (for tests and metrics). */
export function compileCount(): number {
  return compilations;
}

export function compileValidators(def: EntityDefinition, revision: number): RecordValidators {
  const key = `${def.name}@${revision}#${fingerprint(def)}`;
  const kept = cache.get(def.name) ?? [];
  const at = kept.findIndex((entry) => entry.validators.key === key);
  if (at >= 0) {
    const [hit] = kept.splice(at, 1);
    kept.unshift(hit!);
    return hit!.validators;
  }
  ajv ??= createAjv();
  const instance = ajv;
  const schemas = compileEntitySchema(def);
  const unexpected = unexpectedMessages(def);
  const wrap = (validate: ValidateFunction) => (data: unknown) =>
    validate(data) ? [] : ajvToFieldErrors(validate.errors, data, { unexpected: (path, name) => (path === `/${name}` ? unexpected(name) : undefined) });
  const validators: RecordValidators = { key, create: wrap(instance.compile(schemas.create)), update: wrap(instance.compile(schemas.update)) };
  compilations += 1;
  kept.unshift({ validators, schemas: [schemas.create, schemas.update] });
  for (const dropped of kept.splice(KEPT_PER_ENTITY)) for (const schema of dropped.schemas) instance.removeSchema(schema);
  cache.set(def.name, kept);
  return validators;
}

/** Why a top-level key may not be written, in words a client can act on. */
function unexpectedMessages(def: EntityDefinition): (name: string) => string {
  const byName = new Map(def.fields.map((f) => [f.name, f]));
  const system = new Set<string>(SYSTEM_FIELDS);
  const features = new Set<string>(FEATURE_FIELDS);
  return (name) => {
    const field = byName.get(name);
    if (field?.retired) return 'is retired and can no longer be written';
    if (field?.type === 'computed') return 'is computed and cannot be written';
    if (field?.readonly) return 'is read-only';
    if (system.has(name)) return 'is a system field and cannot be written';
    if (name === 'stage' && def.features?.pipeline) return 'is changed through the transition endpoint';
    if (features.has(name)) return `is not a field of ${def.name} (the entity does not use that feature)`;
    return `is not a field of ${def.name}`;
  };
}
