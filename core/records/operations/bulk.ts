/**
 * Many creates, updates and deletes in one request, each applied on its own
 * (no cross-record transaction, as on every MongoDB deployment), with one
 * result per item in request order.
 * Body: `{ "operations": [ { "op": "create", "data": {…} },
 *   { "op": "update", "id": "…", "data": {…}, "version"?: 3 },
 *   { "op": "delete", "id": "…", "version"?: 3 } ] }` (at most 500).
 */
import type { RequestContext } from '../../context.ts';
import { toProblem } from '../../http/problem.ts';
import { badRequest } from '../../shared/errors.ts';
import type { RecordDeps } from '../deps.ts';
import { resolveEntity } from '../deps.ts';
import type { JsonRecord } from '../serialize.ts';
import { createRecord } from './create.ts';
import { deleteRecord } from './delete.ts';
import { updateRecord } from './update.ts';

export const MAX_BULK_OPERATIONS = 500;

export interface BulkItemResult {
  index: number;
  op: string;
  status: number;
  id?: string;
  record?: JsonRecord;
  error?: { code: string; detail: string; errors: Array<{ path: string; message: string }> };
}

export async function bulkRecords(input: { ctx: RequestContext; deps: RecordDeps; entity: string; body: unknown }): Promise<{ results: BulkItemResult[]; succeeded: number; failed: number }> {
  const { ctx, deps } = input;
  resolveEntity(deps, input.entity);
  const body = input.body as { operations?: unknown };
  if (typeof body !== 'object' || body === null || !Array.isArray(body.operations)) {
    throw badRequest('The body must be { "operations": [ … ] }', [{ path: '/operations', message: 'must be an array' }]);
  }
  if (body.operations.length === 0 || body.operations.length > MAX_BULK_OPERATIONS) {
    throw badRequest(`Between 1 and ${MAX_BULK_OPERATIONS} operations are allowed`, [{ path: '/operations', message: `must hold 1 to ${MAX_BULK_OPERATIONS} items` }]);
  }
  const results: BulkItemResult[] = [];
  for (const [index, raw] of (body.operations as unknown[]).entries()) {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as { op?: unknown; id?: unknown; data?: unknown; version?: unknown };
    const op = typeof item.op === 'string' ? item.op : '';
    try {
      const version = item.version === undefined ? undefined : Number.isInteger(item.version) ? (item.version as number) : Number.NaN;
      if (Number.isNaN(version)) throw badRequest('version must be an integer', [{ path: `/operations/${index}/version`, message: 'must be an integer' }]);
      if (op !== 'create' && typeof item.id !== 'string') throw badRequest('id is required', [{ path: `/operations/${index}/id`, message: 'is required' }]);
      if (op === 'create') {
        const record = await createRecord({ ctx, deps, entity: input.entity, data: item.data });
        results.push({ index, op, status: 201, id: String(record._id), record });
      } else if (op === 'update') {
        const record = await updateRecord({ ctx, deps, entity: input.entity, id: item.id as string, data: item.data, expectedVersion: version });
        results.push({ index, op, status: 200, id: String(record._id), record });
      } else if (op === 'delete') {
        await deleteRecord({ ctx, deps, entity: input.entity, id: item.id as string, expectedVersion: version });
        results.push({ index, op, status: 204, id: item.id as string });
      } else {
        throw badRequest('op must be create, update or delete', [{ path: `/operations/${index}/op`, message: 'must be create, update or delete' }]);
      }
    } catch (error) {
      const problem = toProblem(error, { requestId: ctx.requestId });
      if (problem.status >= 500) throw error;
      results.push({ index, op, status: problem.status, ...(typeof item.id === 'string' ? { id: item.id } : {}), error: { code: problem.code, detail: problem.detail, errors: problem.errors } });
    }
  }
  const failed = results.filter((result) => result.error).length;
  return { results, succeeded: results.length - failed, failed };
}
