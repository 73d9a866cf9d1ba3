/**
 * `var` paths: dotted names into the data (`amount`, `address.city`,
 * `tags.0`). Only plain segments are allowed, so a rule can never reach an
 * object's prototype (`__proto__`, `constructor`, `prototype`).
 */

export const MAX_VAR_PATH_LENGTH = 256;
const SEGMENT = /^[A-Za-z0-9_]{1,64}$/;
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `path` is not a safe `var` path, or undefined when it is. `""`/null mean "the data itself". */
export function varPathProblem(path: unknown): string | undefined {
  if (path === null || path === '') return undefined;
  if (typeof path === 'number') {
    return Number.isSafeInteger(path) && path >= 0 ? undefined : 'a numeric var path must be a non-negative integer';
  }
  if (typeof path !== 'string') return 'a var path must be a literal string (computed paths are not allowed)';
  if (path.length > MAX_VAR_PATH_LENGTH) return `a var path must be at most ${MAX_VAR_PATH_LENGTH} characters`;
  for (const segment of path.split('.')) {
    if (FORBIDDEN_SEGMENTS.has(segment)) return `the var path segment "${segment}" is not allowed`;
    if (!SEGMENT.test(segment)) return `"${path}" is not a valid var path (dot-separated letters, digits and _)`;
  }
  return undefined;
}

/** The segments of a safe path; `[]` for the data itself. */
export function varPathSegments(path: string | number | null): string[] {
  if (path === null || path === '') return [];
  return String(path).split('.');
}
