/**
 * Names of the platform's own collections. They start with `_` so that they
 * can never clash with an entity's collection (entity names start with a
 * lower-case letter, and each entity's records live in a collection of the
 * same name).
 */
export const META_COLLECTION = '_meta';
export const META_REVISIONS_COLLECTION = '_meta_revisions';
export const META_STATE_COLLECTION = '_meta_state';

export function recordCollectionName(entity: string): string {
  return entity;
}
