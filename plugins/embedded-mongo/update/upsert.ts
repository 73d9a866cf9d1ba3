/** The document an upsert starts from: the equality conditions of its query, `_id` first. */
import { ObjectId } from 'bson';
import { cloneValue } from '../bson/clone.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (!isPlainObject(next)) cur[parts[i]] = {};
    cur = cur[parts[i]] as Doc;
  }
  cur[parts[parts.length - 1]] = cloneValue(value);
}

function collect(filter: Doc, out: Doc): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) collect(sub, out);
      continue;
    }
    if (k.startsWith('$')) continue;
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.some((x) => x.startsWith('$'))) {
        if (keys.length === 1 && keys[0] === '$eq') setPath(out, k, v.$eq);
        continue;
      }
    }
    if (v instanceof RegExp) continue;
    setPath(out, k, v);
  }
}

export function upsertSeed(filter: Doc | undefined): Doc {
  const out: Doc = {};
  if (filter) collect(filter, out);
  return out;
}

/** `_id` first, generated when the update did not provide one. */
export function withIdFirst(doc: Doc): Doc {
  const { _id, ...rest } = doc;
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}
