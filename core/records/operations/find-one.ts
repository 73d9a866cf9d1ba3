import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { recordNotFound } from '../../shared/errors.ts';
import type { RecordDeps } from '../deps.ts';
import { resolveEntity } from '../deps.ts';
import { expandReferences } from '../expand.ts';
import { parseRecordId } from '../ids.ts';
import { serializeRecord, type JsonRecord } from '../serialize.ts';
import type { StoredRecord } from '../stored-record.ts';

/** Read one record the caller may see; anything else is a 404. */
export async function findRecord(input: { ctx: RequestContext; deps: RecordDeps; entity: string; id: string; fields?: ReadonlySet<string>; expand?: string[] }): Promise<JsonRecord> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const id = parseRecordId(entity.name, input.id);
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  if (decision === false) throw recordNotFound(entity.name, input.id);
  const record = await deps.db
    .collection<StoredRecord>(recordCollectionName(entity.name))
    .findOne(withAccess({ _id: id }, decision), { projection: { _search: 0, _outbox: 0 } });
  if (!record) throw recordNotFound(entity.name, input.id);
  const hidden = deps.access.hiddenFields({ ctx, entity });
  const json = serializeRecord({ entity, record, hidden, fields: input.fields });
  if (input.expand && input.expand.length > 0) await expandReferences({ ctx, deps, entity, records: [json], stored: [record], expand: input.expand });
  return json;
}
