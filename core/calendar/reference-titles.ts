/**
 * Titles of referenced records (an activity's organization and person) for
 * calendar text: one `$in` query per referenced entity, using the entity's
 * titleField from metadata.
 */
import type { Db, ObjectId } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';
import type { MetadataRegistry } from '../metadata/registry.ts';

export async function referenceTitles(input: { db: Db; registry: Pick<MetadataRegistry, 'entity'>; entity: string; ids: ObjectId[] }): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const titleField = input.registry.entity(input.entity)?.titleField;
  if (!titleField || input.ids.length === 0) return titles;
  const docs = await input.db
    .collection(recordCollectionName(input.entity))
    .find({ _id: { $in: input.ids } }, { projection: { [titleField]: 1 } })
    .toArray();
  for (const doc of docs) {
    const title = doc[titleField];
    if (typeof title === 'string' && title !== '') titles.set((doc._id as ObjectId).toHexString(), title);
  }
  return titles;
}
