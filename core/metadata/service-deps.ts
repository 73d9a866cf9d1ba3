import type { Db } from 'mongodb';
import type { RequestContext } from '../context.ts';
import type { MetadataRegistry } from './registry.ts';
import type { MetadataStore } from './store.ts';

/** What metadata operations need, passed explicitly. */
export interface MetadataDeps {
  db: Db;
  store: MetadataStore;
  registry: MetadataRegistry;
}

export function actorOf(ctx: RequestContext): string | null {
  return ctx.principal.userId?.toHexString() ?? (ctx.principal.kind === 'system' ? 'system' : null);
}
