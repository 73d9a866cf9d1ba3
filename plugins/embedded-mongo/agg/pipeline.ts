/**
 * Runs an aggregation pipeline with mingo over a collection's documents. A leading $match
 * goes through the planner (indexes); stages that could mutate their input get copies of
 * the stored documents; other collections ($lookup, $unionWith, $graphLookup) are read
 * through a resolver that also hands out copies.
 */
import { Aggregator } from 'mingo/aggregator';
import { CommandError } from '../errors.ts';
import { computeCopy, isKnownToHaveWrappers } from '../bson/clone.ts';
import { isNumeric, isPlainObject, toNumber, type Doc } from '../bson/types.ts';
import type { Engine } from '../engine/engine.ts';
import { matchDocs } from '../engine/read.ts';
import { mingoOptions } from '../query/context.ts';
import { checkStageSpec } from './stage-checks.ts';

const KNOWN_STAGES = new Set([
  '$addFields', '$bucket', '$bucketAuto', '$count', '$densify', '$documents', '$facet', '$fill', '$graphLookup',
  '$group', '$limit', '$lookup', '$match', '$project', '$redact', '$replaceRoot', '$replaceWith', '$sample',
  '$set', '$setWindowFields', '$skip', '$sort', '$sortByCount', '$unionWith', '$unset', '$unwind', '$out', '$merge',
]);
const UNSUPPORTED_STAGES = new Set([
  '$search', '$searchMeta', '$vectorSearch', '$geoNear', '$collStats', '$indexStats', '$planCacheStats', '$currentOp',
  '$listSessions', '$listLocalSessions', '$changeStream', '$changeStreamSplitLargeEvent', '$listSearchIndexes',
  '$shardedDataDistribution', '$listSampledQueries',
]);
/** Stages that never write into the documents they receive. */
const NON_MUTATING = new Set(['$match', '$sort', '$limit', '$skip', '$count', '$group', '$sortByCount', '$bucket', '$bucketAuto', '$lookup', '$unionWith', '$replaceRoot', '$replaceWith', '$sample']);
const TOP_LEVEL_ONLY = new Set(['$project', '$addFields', '$set', '$unset']);

export interface ParsedStage {
  name: string;
  spec: unknown;
}

export function parsePipeline(pipeline: unknown): ParsedStage[] {
  if (!Array.isArray(pipeline)) throw new CommandError(14, "'pipeline' option must be specified as an array");
  return pipeline.map((stage, i) => {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
    }
    const name = Object.keys(stage)[0];
    if (UNSUPPORTED_STAGES.has(name)) throw new CommandError(40324, `${name} is not supported by the embedded engine`);
    if (!KNOWN_STAGES.has(name)) throw new CommandError(40324, `Unrecognized pipeline stage name: '${name}'`);
    if ((name === '$out' || name === '$merge') && i !== pipeline.length - 1) {
      throw new CommandError(40601, `${name} can only be the final stage in the pipeline`);
    }
    if (name === '$documents' && i !== 0) throw new CommandError(40602, '$documents is only valid as the first stage in a pipeline');
    const spec = stage[name];
    checkStageSpec(name, spec);
    if (name === '$facet' && isPlainObject(spec)) for (const sub of Object.values(spec)) parsePipeline(sub);
    if (name === '$lookup' && isPlainObject(spec) && spec.pipeline !== undefined) parsePipeline(spec.pipeline);
    if (name === '$unionWith' && isPlainObject(spec) && spec.pipeline !== undefined) parsePipeline(spec.pipeline);
    return { name, spec };
  });
}

function mutates(stages: ParsedStage[]): boolean {
  return stages.some(({ name, spec }) => {
    if (NON_MUTATING.has(name)) return false;
    if (TOP_LEVEL_ONLY.has(name)) {
      const keys = name === '$unset' ? (Array.isArray(spec) ? spec : [spec]).map(String) : isPlainObject(spec) ? Object.keys(spec) : [];
      return keys.some((k) => k.includes('.'));
    }
    if (name === '$facet' && isPlainObject(spec)) return Object.values(spec).some((sub) => mutates(parsePipeline(sub)));
    return true;
  });
}

function mapError(err: unknown): never {
  if (err instanceof CommandError) throw err;
  const msg = err instanceof Error ? err.message : String(err);
  const unknownExpr = /(?:accumulator|operator) '?(\$\w+)'? (?:is not registered|not found)/.exec(msg);
  if (unknownExpr) throw new CommandError(168, `Unrecognized expression '${unknownExpr[1]}'`);
  throw new CommandError(2, msg);
}

export interface RunOptions {
  engine: Engine;
  db: string;
  /** Source collection name, or null for a collection-less pipeline ($documents). */
  collection: string | null;
  stages: ParsedStage[];
  variables?: Doc;
}

/** Runs the stages (without a final $out/$merge) and returns the resulting documents. */
export function runPipeline(opts: RunOptions): Doc[] {
  let stages = opts.stages;
  let input: Doc[] = [];
  if (opts.collection !== null) {
    const coll = opts.engine.getCollection(opts.db, opts.collection);
    if (stages[0]?.name === '$match' && isPlainObject(stages[0].spec)) {
      input = matchDocs(coll, stages[0].spec, opts.variables);
      stages = stages.slice(1);
    } else input = coll ? [...coll.docs.values()] : [];
  }
  if (stages.length === 0) return input;
  // mingo gets plain numbers (its own operators do not know Double/Long) and, when a stage
  // could write into its input, copies rather than the stored documents.
  const mustCopy = mutates(stages);
  input = input.map((d) => (mustCopy || isKnownToHaveWrappers(d) ? computeCopy(d) : d));
  const resolver = (name: string): Doc[] => {
    const other = opts.engine.getCollection(opts.db, name);
    return other ? [...other.docs.values()].map(computeCopy) : [];
  };
  try {
    const options = mingoOptions({ collectionResolver: resolver, variables: opts.variables });
    const agg = new Aggregator(stages.map((s) => ({ [s.name]: s.spec })), options);
    return (agg.run(input) as Doc[]).map(idFirst);
  } catch (err) {
    return mapError(err);
  }
}

/** MongoDB outputs `_id` first; mingo's $project appends it last. */
function idFirst(doc: Doc): Doc {
  if (!isPlainObject(doc) || !('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}
