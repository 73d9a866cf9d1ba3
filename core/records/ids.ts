import { ObjectId } from 'mongodb';
import { recordNotFound } from '../shared/errors.ts';

/** A malformed id can name no record: 404, like any record the caller cannot see. */
export function parseRecordId(entity: string, id: string): ObjectId {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw recordNotFound(entity, id);
  return new ObjectId(id);
}
