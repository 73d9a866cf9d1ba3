/**
 * Copies one collection's documents and indexes through the driver. Documents are read without
 * promoting BSON values (Int32, Double, Long, Decimal128, regexes stay their own types) so the
 * target receives exactly the bytes' types the source held.
 */
import { BSON, type Document, type MongoClient } from 'mongodb';
import type { Namespace } from './namespaces.ts';

export interface CopyOptions {
  source: MongoClient;
  target: MongoClient;
  ns: Namespace;
  batchSize: number;
  /** called after each batch with the running total */
  onProgress?: (copied: number) => void;
}

/** A batch also ends at this many bytes, far below the 48 MB message limit. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export async function copyDocuments(opts: CopyOptions): Promise<number> {
  const { ns } = opts;
  const from = opts.source.db(ns.db).collection(ns.name);
  const to = opts.target.db(ns.db).collection(ns.name);
  // Documents were valid when the source stored them; re-validating could only lose data.
  const hasValidator = ns.options.validator !== undefined;
  const cursor = from.find({}, { batchSize: opts.batchSize, promoteValues: false, promoteLongs: false, bsonRegExp: true });
  let batch: Document[] = [];
  let batchBytes = 0;
  let copied = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const result = await to.insertMany(batch, { ordered: true, ...(hasValidator ? { bypassDocumentValidation: true } : {}) });
    if (result.insertedCount !== batch.length) {
      throw new Error(`${ns.db}.${ns.name}: target acknowledged ${result.insertedCount} of ${batch.length} documents`);
    }
    copied += batch.length;
    batch = [];
    batchBytes = 0;
    opts.onProgress?.(copied);
  };
  try {
    for await (const doc of cursor) {
      batch.push(doc);
      batchBytes += BSON.calculateObjectSize(doc);
      if (batch.length >= opts.batchSize || batchBytes >= MAX_BATCH_BYTES) await flush();
    }
    await flush();
  } finally {
    await cursor.close();
  }
  return copied;
}

/** Index specs as listIndexes reports them, minus what the server assigns itself. */
export async function sourceIndexes(source: MongoClient, ns: Namespace): Promise<Document[]> {
  const specs = await source.db(ns.db).collection(ns.name).listIndexes().toArray();
  return specs
    .filter((spec) => spec.name !== '_id_')
    .map((spec) => {
      const copy: Document = { ...spec };
      delete copy.v;
      delete copy.ns;
      return copy;
    });
}

export async function createIndexes(target: MongoClient, ns: Namespace, specs: Document[]): Promise<void> {
  if (specs.length === 0) return;
  await target.db(ns.db).command({ createIndexes: ns.name, indexes: specs });
}

export async function indexNames(client: MongoClient, ns: Namespace): Promise<string[]> {
  const specs = await client.db(ns.db).collection(ns.name).listIndexes().toArray();
  return specs.map((spec) => String(spec.name)).sort();
}
