/**
 * What a migration copies: every collection and view of every user database, as the source
 * deployment lists them, and a preflight that finds target collections a copy would overwrite.
 */
import type { Document, MongoClient } from 'mongodb';

/** MongoDB's own databases: never copied (a target deployment has its own). */
export const SYSTEM_DATABASES = new Set(['admin', 'local', 'config']);

export interface Namespace {
  db: string;
  name: string;
  type: 'collection' | 'view';
  /** listCollections' `options`, passed unchanged to `create` on the target */
  options: Document;
}

export interface SourcePlan {
  namespaces: Namespace[];
  /** what was left out and why, for the summary */
  skipped: string[];
}

export async function planMigration(source: MongoClient): Promise<SourcePlan> {
  const { databases } = await source.db('admin').admin().listDatabases();
  const namespaces: Namespace[] = [];
  const skipped: string[] = [];
  for (const { name: db } of [...databases].sort((a, b) => a.name.localeCompare(b.name))) {
    const infos = await source.db(db).listCollections({}, { nameOnly: false }).toArray();
    if (SYSTEM_DATABASES.has(db)) {
      if (infos.length > 0) skipped.push(`database ${db} (${infos.length} collection(s)): a system database`);
      continue;
    }
    for (const info of [...infos].sort((a, b) => a.name.localeCompare(b.name))) {
      if (info.name.startsWith('system.')) {
        skipped.push(`${db}.${info.name}: a system collection`);
        continue;
      }
      const type = info.type === 'view' ? 'view' : 'collection';
      namespaces.push({ db, name: info.name, type, options: ('options' in info ? info.options : undefined) ?? {} });
    }
  }
  // Views last: their source collections must exist first; among views, listing order is kept.
  namespaces.sort((a, b) => Number(a.type === 'view') - Number(b.type === 'view'));
  return { namespaces, skipped };
}

export interface TargetState {
  exists: boolean;
  isEmpty: boolean;
}

export async function inspectTarget(target: MongoClient, ns: Namespace): Promise<TargetState> {
  const found = await target.db(ns.db).listCollections({ name: ns.name }, { nameOnly: true }).toArray();
  if (found.length === 0) return { exists: false, isEmpty: true };
  const one = await target.db(ns.db).collection(ns.name).findOne({}, { projection: { _id: 1 } });
  return { exists: true, isEmpty: one === null };
}

export function qualified(ns: { db: string; name: string }): string {
  return `${ns.db}.${ns.name}`;
}
