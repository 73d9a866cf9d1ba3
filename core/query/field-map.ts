/**
 * The queryable fields of an entity and the type each one is filtered,
 * sorted and coerced as. Derived from metadata once per revision (STYLE §7).
 */
import type { EntityDefinition, FieldDefinition, FieldType } from '../metadata/types.ts';

/** How a field's values are stored and compared; `computed` fields use their result type. */
export type QueryType = Exclude<FieldType, 'computed'> | 'objectId';

export interface QueryField {
  name: string;
  type: QueryType;
  /** multienum / references: the stored value is an array of element values. */
  isArray: boolean;
  /** sortable with a keyset cursor: scalar, not json. */
  isSortable: boolean;
  /** reference / references: may be named in `expand`. */
  isExpandable: boolean;
  /** platform-owned field (`_id`, `createdAt`, `owner`, …). */
  isSystem: boolean;
  /** reference / references: the target entity. */
  entity?: string;
}

export type FieldMap = ReadonlyMap<string, QueryField>;

function field(name: string, type: QueryType, extra: Partial<QueryField> = {}): QueryField {
  const isArray = type === 'multienum' || type === 'references';
  return {
    name,
    type,
    isArray,
    isSortable: !isArray && type !== 'json',
    isExpandable: type === 'reference' || type === 'references',
    isSystem: false,
    ...extra,
  };
}

const systemField = (name: string, type: QueryType, extra: Partial<QueryField> = {}) => field(name, type, { ...extra, isSystem: true });

function entityField(def: FieldDefinition): QueryField | undefined {
  if (def.type === 'computed') {
    // A computed field without a declared result type cannot be coerced; leave it out.
    return def.resultType ? field(def.name, def.resultType) : undefined;
  }
  const extra: Partial<QueryField> = def.entity !== undefined ? { entity: def.entity } : {};
  return field(def.name, def.type, extra);
}

function build(entity: EntityDefinition): FieldMap {
  const map = new Map<string, QueryField>();
  for (const def of entity.fields) {
    if (def.retired) continue;
    const qf = entityField(def);
    if (qf) map.set(def.name, qf);
  }
  // Platform fields are set last so they win over an entity field of the same name.
  map.set('_id', systemField('_id', 'objectId'));
  map.set('createdAt', systemField('createdAt', 'datetime'));
  map.set('updatedAt', systemField('updatedAt', 'datetime'));
  map.set('createdBy', systemField('createdBy', 'reference', { entity: 'user' }));
  map.set('updatedBy', systemField('updatedBy', 'reference', { entity: 'user' }));
  map.set('version', systemField('version', 'integer'));
  const features = entity.features ?? {};
  if (features.owner) map.set('owner', systemField('owner', 'reference', { entity: 'user' }));
  // Direction and stage names are metadata identifiers: strings with no fixed option list here.
  if (features.direction) map.set('direction', systemField('direction', 'enum'));
  if (features.pipeline) map.set('stage', systemField('stage', 'enum'));
  return map;
}

const cache = new WeakMap<EntityDefinition, { revision: number | undefined; map: FieldMap }>();

/** The queryable fields of `entity`, cached on the definition object per revision. */
export function buildFieldMap(entity: EntityDefinition): FieldMap {
  const hit = cache.get(entity);
  if (hit && hit.revision === entity.revision) return hit.map;
  const map = build(entity);
  cache.set(entity, { revision: entity.revision, map });
  return map;
}

/** Types whose values are strings: `$regex` applies, values must be strings. */
export const STRING_TYPES: ReadonlySet<QueryType> = new Set<QueryType>(['text', 'longtext', 'email', 'phone', 'url', 'enum', 'multienum']);
