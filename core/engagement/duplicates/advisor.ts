/**
 * Duplicate control on create: after a record of an entity with the
 * `duplicates` option is created, its possible duplicates are answered as a
 * `POSSIBLE_DUPLICATE` warning in the 201 response. It never blocks: the
 * user decides, and may merge afterwards.
 */
import { ObjectId } from 'mongodb';
import type { CreateAdvisor } from '../../records/deps.ts';
import { findDuplicates } from './find.ts';

export const duplicateAdvisor: CreateAdvisor = async ({ ctx, deps, entity, record }) => {
  if (!entity.duplicates) return [];
  const id: ObjectId | undefined = typeof record._id === 'string' ? new ObjectId(record._id) : undefined;
  const candidates = await findDuplicates({ ctx, deps, entity, candidate: record, excludeId: id });
  if (candidates.length === 0) return [];
  return [{ code: 'POSSIBLE_DUPLICATE', message: `This ${entity.name} may already exist (${candidates.length} possible duplicate(s))`, candidates }];
};
