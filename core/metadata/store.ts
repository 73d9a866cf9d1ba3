/**
 * Persistence of metadata documents (entities, pipelines, rules, roles,
 * directions) with full revision history.
 *
 * Write order, designed for a crash at any point without multi-document
 * transactions: reserve a revision number, record the revision (who, when,
 * previous and new definition), write the document guarded by its expected
 * revision (optimistic concurrency), then publish the revision number that
 * every process polls. A crash before publishing leaves the change invisible
 * to other processes until the next publish, never half-visible.
 */
import type { Collection, Db } from 'mongodb';
import { duplicate, versionConflict } from '../shared/errors.ts';
import { META_COLLECTION, META_REVISIONS_COLLECTION, META_STATE_COLLECTION } from './collections.ts';

export const META_KINDS = ['entity', 'pipeline', 'rule', 'role', 'direction'] as const;
export type MetaKind = (typeof META_KINDS)[number];

export interface MetaDocument<T = unknown> {
  _id: string;
  kind: MetaKind;
  name: string;
  /** global revision at which this document was last written */
  revision: number;
  definition: T;
  updatedAt: Date;
  updatedBy: string | null;
  /** the shipped definition last applied by bootstrap (for the three-way merge) */
  shipped?: T;
}

export type MetaOperation = 'create' | 'update' | 'delete' | 'rollback' | 'bootstrap';

export interface MetaRevision<T = unknown> {
  kind: MetaKind;
  name: string;
  revision: number;
  op: MetaOperation;
  definition: T | null;
  previous: T | null;
  by: string | null;
  at: Date;
  /** free text: why (e.g. "forced: 3 records invalid") */
  note?: string;
}

interface StateDocument {
  _id: string;
  value: number;
}

export function metaId(kind: MetaKind, name: string): string {
  return `${kind}:${name}`;
}

export class MetadataStore {
  private readonly documents: Collection<MetaDocument>;
  private readonly revisions: Collection<MetaRevision>;
  private readonly state: Collection<StateDocument>;

  constructor(db: Db) {
    this.documents = db.collection<MetaDocument>(META_COLLECTION);
    this.revisions = db.collection<MetaRevision>(META_REVISIONS_COLLECTION);
    this.state = db.collection<StateDocument>(META_STATE_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.documents.createIndex({ kind: 1, name: 1 }, { unique: true });
    await this.revisions.createIndex({ kind: 1, name: 1, revision: -1 });
  }

  /** The revision every process compares against to know whether to reload. */
  async publishedRevision(): Promise<number> {
    const doc = await this.state.findOne({ _id: 'published' });
    return doc?.value ?? 0;
  }

  async loadAll(): Promise<MetaDocument[]> {
    return this.documents.find({}).toArray();
  }

  async get<T>(kind: MetaKind, name: string): Promise<MetaDocument<T> | null> {
    return (await this.documents.findOne({ _id: metaId(kind, name) })) as MetaDocument<T> | null;
  }

  async list<T>(kind: MetaKind): Promise<MetaDocument<T>[]> {
    return (await this.documents.find({ kind }).sort({ name: 1 }).toArray()) as MetaDocument<T>[];
  }

  /**
   * Writes a definition. `expectedRevision` null means "must not exist yet";
   * a number means "must still be at this revision" (else 409, nothing changed).
   */
  async write<T>(input: {
    kind: MetaKind;
    name: string;
    definition: T;
    expectedRevision: number | null;
    op: MetaOperation;
    by: string | null;
    previous: T | null;
    shipped?: T;
    note?: string;
  }): Promise<MetaDocument<T>> {
    const revision = await this.reserveRevision();
    const at = new Date();
    const revisionRecord: MetaRevision<T> = {
      kind: input.kind,
      name: input.name,
      revision,
      op: input.op,
      definition: input.definition,
      previous: input.previous,
      by: input.by,
      at,
      ...(input.note ? { note: input.note } : {}),
    };
    const inserted = await this.revisions.insertOne(revisionRecord as MetaRevision);
    const doc: MetaDocument<T> = {
      _id: metaId(input.kind, input.name),
      kind: input.kind,
      name: input.name,
      revision,
      definition: input.definition,
      updatedAt: at,
      updatedBy: input.by,
      ...(input.shipped !== undefined ? { shipped: input.shipped } : {}),
    };
    try {
      if (input.expectedRevision === null) {
        await this.documents.insertOne(doc as MetaDocument);
      } else {
        const result = await this.documents.replaceOne({ _id: doc._id, revision: input.expectedRevision }, doc as MetaDocument);
        if (result.matchedCount === 0) throw versionConflict(`The ${input.kind} "${input.name}" was changed by someone else; reload it and try again`);
      }
    } catch (error) {
      await this.revisions.deleteOne({ _id: inserted.insertedId });
      if (isDuplicateKey(error)) throw duplicate(`A ${input.kind} named "${input.name}" already exists`);
      throw error;
    }
    await this.publish(revision);
    return doc;
  }

  async remove(input: { kind: MetaKind; name: string; expectedRevision: number; by: string | null; previous: unknown }): Promise<void> {
    const revision = await this.reserveRevision();
    const inserted = await this.revisions.insertOne({
      kind: input.kind,
      name: input.name,
      revision,
      op: 'delete',
      definition: null,
      previous: input.previous,
      by: input.by,
      at: new Date(),
    });
    const result = await this.documents.deleteOne({ _id: metaId(input.kind, input.name), revision: input.expectedRevision });
    if (result.deletedCount === 0) {
      await this.revisions.deleteOne({ _id: inserted.insertedId });
      throw versionConflict(`The ${input.kind} "${input.name}" was changed by someone else; reload it and try again`);
    }
    await this.publish(revision);
  }

  async history<T>(kind: MetaKind, name: string, limit = 100): Promise<MetaRevision<T>[]> {
    return (await this.revisions
      .find({ kind, name }, { projection: { _id: 0 } })
      .sort({ revision: -1 })
      .limit(limit)
      .toArray()) as MetaRevision<T>[];
  }

  async revision<T>(kind: MetaKind, name: string, revision: number): Promise<MetaRevision<T> | null> {
    return (await this.revisions.findOne({ kind, name, revision }, { projection: { _id: 0 } })) as MetaRevision<T> | null;
  }

  private async reserveRevision(): Promise<number> {
    const doc = await this.state.findOneAndUpdate({ _id: 'sequence' }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' });
    if (!doc) throw new Error('could not reserve a metadata revision');
    return doc.value;
  }

  private async publish(revision: number): Promise<void> {
    await this.state.updateOne({ _id: 'published' }, { $max: { value: revision } }, { upsert: true });
  }
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
