/**
 * Possible duplicates of a candidate record (a record about to be created,
 * or any partial record an integrator sends): records of the same entity,
 * among those the caller may read, sharing a normalised key or having a
 * similar name (similarity.ts). Found through the `_dupKeys` index (two bounded queries,
 * never a scan), then scored in memory: each candidate comes with the
 * reasons it was proposed, e.g. ["same taxId", "similar name 0.93"].
 */
import type { ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { computeFields } from '../../metadata/computed.ts';
import type { EntityDefinition } from '../../metadata/types.ts';
import type { RecordDeps } from '../../records/deps.ts';
import type { StoredRecord } from '../../records/stored-record.ts';
import { DUPLICATE_KEYS_FIELD, exactKeys, nameKeys } from './keys.ts';
import { nameSimilarity } from './similarity.ts';

export const DEFAULT_THRESHOLD = 0.85;
const FETCH_LIMIT = 200;
const MAX_CANDIDATES = 10;

export interface DuplicateCandidate {
  id: string;
  title: string | null;
  reasons: string[];
  /** name similarity, when the entity compares names */
  similarity?: number;
}

/** The candidate's values as stored keys see them: computed fields (a person's full name) evaluated. */
function withComputed(entity: EntityDefinition, candidate: Record<string, unknown>): Record<string, unknown> {
  return { ...candidate, ...computeFields(entity, candidate).values };
}

export async function findDuplicates(input: { ctx: RequestContext; deps: RecordDeps; entity: EntityDefinition; candidate: Record<string, unknown>; excludeId?: ObjectId }): Promise<DuplicateCandidate[]> {
  const { ctx, deps, entity } = input;
  const options = entity.duplicates;
  if (!options) return [];
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  if (decision === false) return [];
  const hidden = deps.access.hiddenFields({ ctx, entity });
  const values = withComputed(entity, input.candidate);
  // Keys of fields the caller may not read would reveal values through the reasons: left out.
  const keys = exactKeys(entity, values).filter((k) => !hidden.has(k.field));
  const nameField = options.similarName !== undefined && !hidden.has(options.similarName) ? options.similarName : undefined;
  const names = nameField ? nameKeys(entity, values) : [];
  if (keys.length === 0 && names.length === 0) return [];

  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  const projection = { [DUPLICATE_KEYS_FIELD]: 1, ...(nameField ? { [nameField]: 1 } : {}), ...(entity.titleField ? { [entity.titleField]: 1 } : {}) };
  const query = (wanted: string[]) => {
    const base = { [DUPLICATE_KEYS_FIELD]: { $in: wanted }, ...(input.excludeId ? { _id: { $ne: input.excludeId } } : {}) };
    return wanted.length === 0 ? Promise.resolve([]) : collection.find(withAccess(base, decision), { projection }).limit(FETCH_LIMIT).toArray();
  };
  // Exact keys and name words apart: common words must not crowd out an exact match.
  const [byKey, byName] = await Promise.all([query(keys.map((k) => k.key)), query(names)]);
  const found = new Map<string, StoredRecord>();
  for (const record of [...byKey, ...byName]) found.set(record._id.toHexString(), record);

  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const wantedName = nameField ? values[nameField] : undefined;
  const candidates: Array<DuplicateCandidate & { exact: number }> = [];
  for (const record of found.values()) {
    const stored = new Set((record[DUPLICATE_KEYS_FIELD] as string[] | undefined) ?? []);
    const reasons = [...new Set(keys.filter((k) => stored.has(k.key)).map((k) => `same ${k.field}`))];
    const exact = reasons.length;
    let score: number | undefined;
    const theirName = nameField ? record[nameField] : undefined;
    if (typeof wantedName === 'string' && typeof theirName === 'string') {
      score = Math.round(nameSimilarity(wantedName, theirName) * 100) / 100;
      if (score >= 1) reasons.push('same name');
      else if (score >= threshold) reasons.push(`similar name ${score.toFixed(2)}`);
    }
    if (reasons.length === 0) continue;
    const title = entity.titleField !== undefined && !hidden.has(entity.titleField) ? record[entity.titleField] : undefined;
    candidates.push({ id: record._id.toHexString(), title: typeof title === 'string' ? title : null, reasons, ...(score !== undefined ? { similarity: score } : {}), exact });
  }
  candidates.sort((a, b) => b.exact - a.exact || (b.similarity ?? 0) - (a.similarity ?? 0) || (a.id < b.id ? -1 : 1));
  return candidates.slice(0, MAX_CANDIDATES).map(({ exact: _exact, ...candidate }) => candidate);
}
