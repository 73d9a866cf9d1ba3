/**
 * The in-memory view of all metadata in one process. Every process polls the
 * published revision (one tiny read per second) and reloads when it moved, so
 * a change made through any process is seen everywhere within ~1 s, without
 * change streams (which standalone servers lack).
 */
import type { Logger } from '../observability/logger.ts';
import type { MetaDocument, MetaKind, MetadataStore } from './store.ts';
import type { EntityDefinition } from './types.ts';

export interface MetadataSnapshot {
  /** the published revision this snapshot reflects */
  revision: number;
  documents: ReadonlyMap<string, MetaDocument>;
  entities: ReadonlyMap<string, EntityDefinition>;
  byKind<T>(kind: MetaKind): ReadonlyMap<string, MetaDocument<T>>;
}

function buildSnapshot(revision: number, docs: MetaDocument[]): MetadataSnapshot {
  const documents = new Map<string, MetaDocument>();
  const kinds = new Map<MetaKind, Map<string, MetaDocument>>();
  const entities = new Map<string, EntityDefinition>();
  for (const doc of docs) {
    documents.set(doc._id, doc);
    let ofKind = kinds.get(doc.kind);
    if (!ofKind) kinds.set(doc.kind, (ofKind = new Map()));
    ofKind.set(doc.name, doc);
    if (doc.kind === 'entity') {
      // The document's own revision travels with the definition: caches key on it.
      entities.set(doc.name, Object.freeze({ ...(doc.definition as EntityDefinition), revision: doc.revision }));
    }
  }
  return {
    revision,
    documents,
    entities,
    byKind<T>(kind: MetaKind) {
      return (kinds.get(kind) ?? new Map()) as ReadonlyMap<string, MetaDocument<T>>;
    },
  };
}

export type MetadataListener = (snapshot: MetadataSnapshot) => void;

export class MetadataRegistry {
  private current: MetadataSnapshot = buildSnapshot(-1, []);
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly listeners = new Set<MetadataListener>();

  constructor(
    private readonly store: MetadataStore,
    private readonly logger: Logger,
    private readonly pollMs = 1000,
  ) {}

  get snapshot(): MetadataSnapshot {
    return this.current;
  }

  entity(name: string): EntityDefinition | undefined {
    return this.current.entities.get(name);
  }

  onChange(listener: MetadataListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads everything now, then keeps polling. */
  async start(): Promise<void> {
    await this.refresh(true);
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'metadata refresh failed'));
    }, this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reloads when the published revision moved (or always, when forced). Concurrent calls share one reload. */
  refresh(isForced = false): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.reload(isForced).finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async reload(isForced: boolean): Promise<void> {
    const published = await this.store.publishedRevision();
    if (!isForced && published === this.current.revision) return;
    const docs = await this.store.loadAll();
    this.current = buildSnapshot(published, docs);
    this.logger.debug({ revision: published, documents: docs.length }, 'metadata reloaded');
    for (const listener of this.listeners) {
      try {
        listener(this.current);
      } catch (error) {
        this.logger.error({ err: error }, 'metadata listener failed');
      }
    }
  }
}
