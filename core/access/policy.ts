/**
 * What the record service asks before every read and write. Access answers
 * data, not strings: `true` (everything), `false` (nothing) or a filter the
 * service ANDs into every query it runs for that entity.
 */
import type { Filter, Document } from 'mongodb';
import type { RequestContext } from '../context.ts';
import type { EntityDefinition } from '../metadata/types.ts';

export type RecordAction = 'read' | 'create' | 'update' | 'delete' | 'import' | 'export' | 'transition';

export type AccessDecision = boolean | Filter<Document>;

export interface AccessPolicy {
  /** Which records of the entity the caller may act on. */
  recordFilter(input: { ctx: RequestContext; entity: EntityDefinition; action: RecordAction }): AccessDecision;
  /** Field names the caller may not read (absent from every response, export and history). */
  hiddenFields(input: { ctx: RequestContext; entity: EntityDefinition }): ReadonlySet<string>;
  /** Field names the caller may not write (a write naming one is refused with 403). */
  readonlyFields(input: { ctx: RequestContext; entity: EntityDefinition }): ReadonlySet<string>;
  /** The directions a new record may be given by this caller (undefined: any). */
  creatableDirections(input: { ctx: RequestContext; entity: EntityDefinition }): readonly string[] | undefined;
}

const NONE: ReadonlySet<string> = new Set();

/** Administrators and the system: everything allowed. */
export const allowAll: AccessPolicy = {
  recordFilter: () => true,
  hiddenFields: () => NONE,
  readonlyFields: () => NONE,
  creatableDirections: () => undefined,
};

/** Combines a query filter with an access decision; `false` is turned into a 404 by the caller. */
export function withAccess(filter: Filter<Document>, decision: AccessDecision): Filter<Document> {
  if (decision === true) return filter;
  if (decision === false) return { $and: [filter, { _id: { $exists: false } }] };
  return Object.keys(filter).length === 0 ? decision : { $and: [filter, decision] };
}
