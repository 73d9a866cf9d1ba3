/**
 * `expand`: embeds referenced records in place of their ids, one `$in` query
 * per expanded field (never one per record), under the target entity's
 * access rules — a reference to a record the caller may not see stays an id.
 */
import type { ObjectId } from 'mongodb';
import type { RequestContext } from '../context.ts';
import { withAccess } from '../access/policy.ts';
import { recordCollectionName } from '../metadata/collections.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import type { RecordDeps } from './deps.ts';
import { serializeRecord, type JsonRecord } from './serialize.ts';
import type { StoredRecord } from './stored-record.ts';

export async function expandReferences(input: {
  ctx: RequestContext;
  deps: RecordDeps;
  entity: EntityDefinition;
  records: JsonRecord[];
  stored: StoredRecord[];
  expand: string[];
}): Promise<void> {
  const { ctx, deps, entity, records, stored } = input;
  const hidden = deps.access.hiddenFields({ ctx, entity });
  await Promise.all(
    input.expand.map(async (name) => {
      const field = entity.fields.find((candidate) => candidate.name === name);
      if (!field || hidden.has(name) || !field.entity) return;
      const target = deps.registry.entity(field.entity);
      if (!target) return;
      const ids = new Map<string, ObjectId>();
      for (const record of stored) {
        const value = record[name];
        for (const id of (Array.isArray(value) ? value : value ? [value] : []) as ObjectId[]) ids.set(id.toHexString(), id);
      }
      if (ids.size === 0) return;
      const decision = deps.access.recordFilter({ ctx, entity: target, action: 'read' });
      if (decision === false) return;
      const found = await deps.db
        .collection<StoredRecord>(recordCollectionName(target.name))
        .find(withAccess({ _id: { $in: [...ids.values()] } }, decision), { projection: { _search: 0, _outbox: 0 } })
        .toArray();
      const targetHidden = deps.access.hiddenFields({ ctx, entity: target });
      const byId = new Map(found.map((doc) => [doc._id.toHexString(), serializeRecord({ entity: target, record: doc, hidden: targetHidden })]));
      for (const record of records) {
        const value = record[name];
        if (Array.isArray(value)) record[name] = value.map((id) => byId.get(String(id)) ?? id);
        else if (typeof value === 'string') record[name] = byId.get(value) ?? value;
      }
    }),
  );
}
