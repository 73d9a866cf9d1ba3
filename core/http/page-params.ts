/** `limit`/`offset` style query parameters of the small paged routes (history, stage history). */
import { badRequest } from '../shared/errors.ts';

/** A whole number from 0 to `max`, `fallback` when absent; anything else is a 400 naming the parameter. */
export function pageParam(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) > max) throw badRequest(`${name} must be an integer between 0 and ${max}`, [{ path: `/${name}`, message: `must be an integer between 0 and ${max}` }]);
  return Number(raw);
}
