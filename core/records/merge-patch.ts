/**
 * JSON merge patch (RFC 7396) of one value: objects merge key by key, `null`
 * removes a key, anything else (arrays included) replaces. PATCH applies it
 * to fields whose values are objects (`json` fields); top-level fields are
 * handled by the update operation itself.
 */
import { isPlainObject } from '../query/filter-operators.ts';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
