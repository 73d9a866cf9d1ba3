/**
 * Pipeline stages whose mingo versions differ from MongoDB 7.0: `$lookup` (BSON equality on
 * the join fields, the concise form that joins on fields and then runs a pipeline over the
 * matches only, a dotted `as` path), `$sample` (distinct documents), and
 * `$replaceRoot`/`$replaceWith` (40228 for a non-document). Specs were checked by
 * agg/stage-checks.ts.
 */
import { Aggregator } from 'mingo/aggregator';
import { evalExpr } from 'mingo/core';
import * as pipelineOps from 'mingo/operators/pipeline';
import { Lazy, type Iterator } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import { CommandError } from '../errors.ts';
import { keyOf } from '../bson/compare.ts';
import { formatValue } from '../bson/format.ts';
import { bsonType, isPlainObject, toNumber, type Doc } from '../bson/types.ts';
import { candidatesAt } from './field-path.ts';
import { withRoot, withVariables } from './mingo-options.ts';

type Stage = (coll: Iterator, expr: unknown, options: Options) => Iterator;

/** Sets a dotted path, replacing non-document values on the way (as `$lookup`'s `as` does). */
function setPath(doc: Doc, path: string, value: unknown): Doc {
  if (!path.includes('.')) return { ...doc, [path]: value };
  const [head, ...rest] = path.split('.');
  const child = isPlainObject(doc[head]) ? (doc[head] as Doc) : {};
  return { ...doc, [head]: setPath(child, rest.join('.'), value) };
}

/** Join keys of a value at a path: array elements one level down; missing is null. */
function joinKeys(doc: Doc, path: string, expandTerminal: boolean): string[] {
  const keys: string[] = [];
  const found = candidatesAt(doc, path, expandTerminal);
  for (const v of found) {
    if (!expandTerminal && Array.isArray(v)) for (const el of v) keys.push(keyOf(el === undefined ? null : el));
    else keys.push(keyOf(v === undefined ? null : v));
  }
  return keys;
}

function foreignDocs(spec: Doc, options: Options): { docs: Doc[]; pipeline: unknown[] } {
  const pipeline = Array.isArray(spec.pipeline) ? spec.pipeline : [];
  const first = pipeline[0];
  if (isPlainObject(first) && '$documents' in first) {
    const docs = evalExpr({}, first.$documents, options);
    if (!Array.isArray(docs)) throw new CommandError(5858203, '$documents must evaluate to an array of objects');
    return { docs: docs as Doc[], pipeline: pipeline.slice(1) };
  }
  if (typeof spec.from !== 'string') throw new CommandError(9, "$lookup requires 'from' unless its pipeline starts with $documents");
  const resolver = options.collectionResolver;
  return { docs: resolver ? (resolver(spec.from) as Doc[]) : [], pipeline };
}

export const $lookup: Stage = (coll, expr, options) => {
  const spec = expr as Doc;
  const as = spec.as as string;
  const { docs, pipeline } = foreignDocs(spec, options);
  let byKey: Map<string, number[]> | null = null;
  if (typeof spec.foreignField === 'string') {
    byKey = new Map();
    for (let i = 0; i < docs.length; i++) {
      for (const k of new Set(joinKeys(docs[i], spec.foreignField, true))) {
        const list = byKey.get(k);
        if (list) list.push(i);
        else byKey.set(k, [i]);
      }
    }
  }
  const agg = pipeline.length ? new Aggregator(pipeline as Doc[], options) : null;
  return coll.map((raw) => {
    const doc = raw as Doc;
    let matched = docs;
    if (byKey) {
      const hits = new Set<number>();
      for (const k of joinKeys(doc, spec.localField as string, false)) for (const i of byKey.get(k) ?? []) hits.add(i);
      matched = [...hits].sort((a, b) => a - b).map((i) => docs[i]);
    }
    if (!agg) return setPath(doc, as, matched);
    const variables = spec.let === undefined ? {} : (evalExpr(doc, spec.let, withRoot(options, doc)) as Doc);
    return setPath(doc, as, agg.run(matched, withVariables(options, variables)));
  });
};

/** `$sample`: `size` distinct documents in random order (all of them when there are fewer). */
export const $sample: Stage = (coll, expr) => {
  const size = Math.floor(toNumber((expr as Doc).size));
  return coll.transform((items: unknown[]) => {
    const out = items.slice();
    const n = Math.min(size, out.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(Math.random() * (out.length - i));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return Lazy(out.slice(0, n));
  });
};

function replaceWith(coll: Iterator, newRoot: unknown, options: Options): Iterator {
  return coll.map((raw) => {
    const doc = raw as Doc;
    const value = evalExpr(doc, newRoot, withRoot(options, doc));
    if (!isPlainObject(value)) {
      const shown = value === undefined ? 'missing' : formatValue(value);
      throw new CommandError(40228, `'newRoot' expression must evaluate to an object, but resulting value was: ${shown}. Type of resulting value: '${value === undefined ? 'missing' : bsonType(value)}'. Input document: ${formatValue(doc)}`);
    }
    return value;
  });
}

export const $replaceRoot: Stage = (coll, expr, options) => {
  if (!isPlainObject(expr) || !('newRoot' in expr)) throw new CommandError(40231, "no newRoot specified for the $replaceRoot stage");
  return replaceWith(coll, expr.newRoot, options);
};

/** MongoDB's internalQueryMaxAllowedDensifyDocs. */
const MAX_DENSIFY_DOCS = 500_000;
const mingoDensify = (pipelineOps as unknown as Record<string, Stage>).$densify;

/** mingo's `$densify`, stopped with 5897900 past 500,000 generated documents (as MongoDB does). */
export const $densify: Stage = (coll, expr, options) =>
  coll.transform((items: unknown[]) => {
    const out: unknown[] = [];
    const it = mingoDensify(Lazy(items), expr, options);
    for (let r = it.next(); !r.done; r = it.next()) {
      out.push(r.value);
      if (out.length - items.length > MAX_DENSIFY_DOCS) {
        throw new CommandError(5897900, `Generated ${out.length - items.length} documents in $densify, which is over the limit of ${MAX_DENSIFY_DOCS}. Increase the 'internalQueryMaxAllowedDensifyDocs' parameter to allow more generated documents`);
      }
    }
    return Lazy(out);
  });

export const $replaceWith: Stage = (coll, expr, options) => replaceWith(coll, expr, options);
