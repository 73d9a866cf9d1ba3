/**
 * Copies every user database, collection (with its options), view and index from one deployment
 * to another through the driver, then verifies document counts and index names per collection.
 * Nothing is written to the target until the preflight has found no collection it would overwrite.
 */
import type { MongoClient } from 'mongodb';
import { OpsError } from './cli-io.ts';
import { copyDocuments, createIndexes, indexNames, sourceIndexes } from './copy-collection.ts';
import { inspectTarget, planMigration, qualified, type Namespace } from './namespaces.ts';

/** A progress line per this many documents, so a long copy visibly advances. */
const PROGRESS_EVERY = 50_000;

export interface MigrateOptions {
  source: MongoClient;
  target: MongoClient;
  /** drop target collections that already hold documents instead of refusing */
  dropTarget: boolean;
  batchSize: number;
  log: (line: string) => void;
}

export interface CollectionReport {
  namespace: string;
  type: Namespace['type'];
  sourceCount: number;
  targetCount: number;
  indexes: number;
  problems: string[];
}

export interface MigrationReport {
  collections: CollectionReport[];
  skipped: string[];
  isVerified: boolean;
}

export async function migrate(opts: MigrateOptions): Promise<MigrationReport> {
  const { source, target, log } = opts;
  const plan = await planMigration(source);
  const existing = await preflight(opts, plan.namespaces);
  const collections: CollectionReport[] = [];
  for (const ns of plan.namespaces) {
    if (existing.has(qualified(ns))) await target.db(ns.db).collection(ns.name).drop();
    // Raw `create` so every option the source reports (validator, capped, collation …) carries over.
    await target.db(ns.db).command({ create: ns.name, ...ns.options });
    collections.push(ns.type === 'view' ? viewReport(ns) : await copyCollection(opts, ns));
    const last = collections[collections.length - 1];
    log(`${last.problems.length === 0 ? 'ok      ' : 'MISMATCH'} ${last.namespace} (${ns.type}): ${last.targetCount}/${last.sourceCount} documents, ${last.indexes} index(es)`);
  }
  return { collections, skipped: plan.skipped, isVerified: collections.every((c) => c.problems.length === 0) };
}

/** Returns the target namespaces that exist (to drop before creating); refuses non-empty ones. */
async function preflight(opts: MigrateOptions, namespaces: Namespace[]): Promise<Set<string>> {
  const existing = new Set<string>();
  const nonEmpty: string[] = [];
  for (const ns of namespaces) {
    const state = await inspectTarget(opts.target, ns);
    if (!state.exists) continue;
    existing.add(qualified(ns));
    if (!state.isEmpty) nonEmpty.push(qualified(ns));
  }
  if (nonEmpty.length > 0 && !opts.dropTarget) {
    const list = nonEmpty.slice(0, 10).join(', ') + (nonEmpty.length > 10 ? ` and ${nonEmpty.length - 10} more` : '');
    throw new OpsError(`the target already holds documents in ${list}; nothing was copied. Pass --drop-target to replace those collections`);
  }
  return existing;
}

async function copyCollection(opts: MigrateOptions, ns: Namespace): Promise<CollectionReport> {
  let reported = 0;
  const onProgress = (copied: number): void => {
    if (copied - reported < PROGRESS_EVERY) return;
    reported = copied;
    opts.log(`         ${qualified(ns)}: ${copied} documents copied …`);
  };
  const copied = await copyDocuments({ source: opts.source, target: opts.target, ns, batchSize: opts.batchSize, onProgress });
  const sourceCount = await opts.source.db(ns.db).collection(ns.name).countDocuments({});
  const targetCount = await opts.target.db(ns.db).collection(ns.name).countDocuments({});
  const problems: string[] = [];
  if (copied !== sourceCount || targetCount !== sourceCount) {
    problems.push(`counts differ: source ${sourceCount}, copied ${copied}, target ${targetCount}`);
  }
  // Indexes after the data (a bulk build is faster), and after counting so a TTL index cannot
  // expire documents between the copy and the check.
  const specs = await sourceIndexes(opts.source, ns);
  await createIndexes(opts.target, ns, specs);
  const [want, have] = await Promise.all([indexNames(opts.source, ns), indexNames(opts.target, ns)]);
  const missing = want.filter((name) => !have.includes(name));
  if (missing.length > 0) problems.push(`indexes missing on the target: ${missing.join(', ')}`);
  return { namespace: qualified(ns), type: ns.type, sourceCount, targetCount, indexes: specs.length, problems };
}

/** A view holds no documents of its own: creating it with its pipeline is the whole copy. */
function viewReport(ns: Namespace): CollectionReport {
  return { namespace: qualified(ns), type: 'view', sourceCount: 0, targetCount: 0, indexes: 0, problems: [] };
}

export function formatSummary(report: MigrationReport): string[] {
  const lines = ['', 'namespace | type | source docs | target docs | indexes | verified'];
  for (const c of report.collections) {
    lines.push(`${c.namespace} | ${c.type} | ${c.sourceCount} | ${c.targetCount} | ${c.indexes} | ${c.problems.length === 0 ? 'yes' : `NO: ${c.problems.join('; ')}`}`);
  }
  for (const s of report.skipped) lines.push(`skipped ${s}`);
  const docs = report.collections.reduce((sum, c) => sum + c.targetCount, 0);
  lines.push(
    report.isVerified
      ? `migrated ${report.collections.length} collection(s)/view(s), ${docs} document(s): counts and indexes verified`
      : 'migration finished with mismatches (see above); re-run with --drop-target after fixing the cause',
  );
  return lines;
}
