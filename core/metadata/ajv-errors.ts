/**
 * Turns Ajv errors into `FieldError`s: JSON-Pointer paths to the offending
 * value (a missing or unexpected property points at the property itself) and
 * short readable messages (`must be <= 5`, `is required`).
 */
import type { ErrorObject } from 'ajv';
import type { FieldError } from '../shared/errors.ts';
import { pointer } from '../logic/json-pointer.ts';
import { isRussianIdFormat, russianIdMessage } from './russian-ids.ts';
import { TIME_ZONE_FORMAT, TIME_ZONE_MESSAGE } from './time-zone.ts';

export interface MapOptions {
  /** Pointer prefixed to every path (e.g. `/fields/3`). */
  base?: string;
  /** Message for a property the schema does not allow, by its path; default "is not allowed". */
  unexpected?: (path: string, key: string) => string | undefined;
}

/** Our own formats say what they want (a registration number also says what is wrong with it); Ajv's "must match format" is kept for the standard ones. */
function formatMessage(format: string, value: unknown): string | undefined {
  if (format === TIME_ZONE_FORMAT) return TIME_ZONE_MESSAGE;
  return isRussianIdFormat(format) ? russianIdMessage(format, value) : undefined;
}

/** Keywords whose failure is already reported by the errors inside them. */
const WRAPPERS = new Set(['if', 'then', 'else', 'allOf', 'anyOf', '$ref']);

export function ajvToFieldErrors(errors: readonly ErrorObject[] | null | undefined, data: unknown, options: MapOptions = {}): FieldError[] {
  if (!errors) return [];
  const base = options.base ?? '';
  // An object whose discriminator (type/kind) is itself wrong reports every option as unexpected: noise.
  const badDiscriminators = new Set(
    errors.filter((e) => /\/(type|kind)$/.test(e.instancePath) && e.keyword === 'enum').map((e) => e.instancePath.replace(/\/(type|kind)$/, '')),
  );
  const mapped: Array<FieldError & { isRefusal: boolean }> = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (WRAPPERS.has(error.keyword)) continue;
    const one = mapOne(error, data, options, badDiscriminators);
    if (!one) continue;
    const path = base + one.path;
    const key = `${path}\u0000${one.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    mapped.push({ path, message: one.message, isRefusal: isRefusal(error) });
  }
  // A key that may not be there at all needs no further complaints about its value.
  const refused = mapped.filter((e) => e.isRefusal).map((e) => e.path);
  return mapped
    .filter((e) => e.isRefusal || !refused.some((r) => e.path === r || e.path.startsWith(`${r}/`)))
    .map(({ path, message }) => ({ path, message }));
}

function isRefusal(error: ErrorObject): boolean {
  return error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties' || (error.keyword === 'enum' && typeof error.propertyName === 'string');
}

function mapOne(error: ErrorObject, data: unknown, options: MapOptions, badDiscriminators: ReadonlySet<string>): FieldError | undefined {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: pointer(at, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      if (badDiscriminators.has(at)) return undefined;
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      const path = pointer(at, key);
      return { path, message: options.unexpected?.(path, key) ?? unexpectedMessage(valueAt(data, at)) };
    }
    case 'enum': {
      // A key outside a `propertyNames` list: the option does not belong to this type/kind.
      if (typeof error.propertyName === 'string') {
        if (badDiscriminators.has(at)) return undefined;
        const path = pointer(at, error.propertyName);
        return { path, message: options.unexpected?.(path, error.propertyName) ?? unexpectedMessage(valueAt(data, at)) };
      }
      const allowed = params.allowedValues;
      if (Array.isArray(allowed) && allowed.length <= 20) return { path: at, message: `must be one of: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
      return { path: at, message: 'must be one of the allowed values' };
    }
    case 'const':
      return { path: at, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'type': {
      const types = Array.isArray(params.type) ? params.type : String(params.type).split(',');
      return { path: at, message: `must be ${types.join(' or ')}` };
    }
    case 'format':
      return { path: at, message: formatMessage(String(params.format), valueAt(data, at)) ?? error.message ?? 'is invalid' };
    case 'propertyNames':
      return undefined; // reported by the nested error on the name itself
    default: {
      // A failing property name (propertyNames) is reported at the object, with the name alongside.
      const name = error.propertyName;
      const path = typeof name === 'string' ? pointer(at, name) : at;
      return { path, message: typeof name === 'string' ? `is not a valid name (${error.message ?? 'invalid'})` : (error.message ?? 'is invalid') };
    }
  }
}

/** "is not allowed", or for a typed object "is not allowed for a text field" / "… when kind is notify". */
function unexpectedMessage(parent: unknown): string {
  if (parent && typeof parent === 'object') {
    const { type, kind } = parent as { type?: unknown; kind?: unknown };
    if (typeof type === 'string') return `is not allowed for a ${type} field`;
    if (typeof kind === 'string') return `is not allowed when kind is "${kind}"`;
  }
  return 'is not allowed';
}

/** The value at a JSON Pointer (for messages only). */
export function valueAt(data: unknown, path: string): unknown {
  if (path === '') return data;
  let current = data;
  for (const raw of path.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, token)) return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}
