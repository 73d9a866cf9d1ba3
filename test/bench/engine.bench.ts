/**
 * The embedded engine over the official driver on ONE connection (maxPoolSize 1): the wire
 * round-trip (`ping`) is the floor every other figure is compared with. The engine runs in its
 * own process (engine-host.ts); BENCH_ENGINE=inprocess runs it in this one instead.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MongoClient, type ObjectId } from 'mongodb';
import { startEmbeddedMongo } from '../../plugins/embedded-mongo/index.ts';
import { makeTempDir } from '../support/engine.ts';
import { formatNumber, measureFor, measureInterleaved, printTable, printTargets, timeRuns } from './report.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const DOCS = 100_000;
const BATCH = 1000;
const CATEGORIES = 20;

interface EngineHandle {
  uri: string;
  where: string;
  stop(): Promise<void>;
}

async function startEngine(dataDir: string): Promise<EngineHandle> {
  if (process.env.BENCH_ENGINE === 'inprocess') {
    const engine = await startEmbeddedMongo({ dataDir, port: 0 });
    return { uri: engine.uri, where: 'in the benchmark process', stop: () => engine.close() };
  }
  const script = fileURLToPath(new URL('./engine-host.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const uri = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /READY (\S+)/.exec(seen);
      if (match) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`engine host exited before it was ready: ${seen}`)));
  });
  return {
    uri,
    where: 'in its own process',
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function person(n: number): Record<string, unknown> {
  return {
    n,
    email: `user${n}@example.org`,
    name: `Person ${n}`,
    cat: `c${n % CATEGORIES}`,
    amount: ((n * 7919) % 100_000) / 10,
    isActive: n % 3 !== 0,
    createdAt: new Date(Date.UTC(2024, 0, 1) + n * 60_000),
    tags: ['lead', n % 2 === 0 ? 'even' : 'odd'],
    address: { city: `City ${n % 50}`, zip: String(10_000 + (n % 900)) },
  };
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

export async function run(): Promise<void> {
  const dataDir = makeTempDir('relata-bench-engine-');
  const engine = await startEngine(dataDir);
  const client = await new MongoClient(engine.uri, { maxPoolSize: 1 }).connect();
  try {
    const db = client.db('bench');
    const ms = SECONDS * 1000;
    await measureFor(1000, () => db.command({ ping: 1 })); // warm up both sides' JITs

    const people = db.collection('people');
    const ids: ObjectId[] = [];
    const bulkStart = performance.now();
    for (let b = 0; b < DOCS / BATCH; b++) {
      const res = await people.insertMany(Array.from({ length: BATCH }, (_, i) => person(b * BATCH + i)));
      if (b % 10 === 0) ids.push(...(Object.values(res.insertedIds) as ObjectId[]));
    }
    const bulkMs = performance.now() - bulkStart;
    const insertManyRate = (DOCS * 1000) / bulkMs;

    const indexStart = performance.now();
    await people.createIndex({ email: 1 }, { unique: true });
    const indexMs = performance.now() - indexStart;
    // The engine copies the bulk load's WAL into the database file on a background thread
    // once writes pause; let that finish so the figures below are the steady state.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // Reads interleaved with the ping they are compared with; the acknowledged inserts run
    // after them, so the WAL checkpoints they cause (on the engine's background thread)
    // compete with no read figure.
    const { ping, byId, byEmail } = await measureInterleaved(ms, 4, {
      ping: () => db.command({ ping: 1 }),
      byId: async () => {
        if (!(await people.findOne({ _id: pick(ids) }))) throw new Error('find by _id missed a document');
      },
      byEmail: async () => {
        if (!(await people.findOne({ email: `user${Math.floor(Math.random() * DOCS)}@example.org` }))) throw new Error('find by email missed');
      },
    });
    const single = db.collection('single');
    const insertOne = await measureFor(ms, (i) => single.insertOne({ i, name: `n${i}`, at: new Date() }));

    // A list view's page: filter on two unindexed fields, sort, first 50.
    const filter = { cat: { $in: ['c3', 'c7', 'c11'] }, amount: { $gte: 2500 } };
    const query = await timeRuns(10, async () => {
      const page = await people.find(filter).sort({ amount: -1, n: 1 }).limit(50).toArray();
      if (page.length !== 50) throw new Error(`query returned ${page.length} documents`);
    });
    const group = await timeRuns(5, async () => {
      const rows = await people.aggregate([
        { $group: { _id: '$cat', n: { $sum: 1 }, total: { $sum: '$amount' }, avg: { $avg: '$amount' }, max: { $max: '$createdAt' } } },
        { $sort: { _id: 1 } },
      ]).toArray();
      if (rows.length !== CATEGORIES) throw new Error(`$group returned ${rows.length} groups`);
    });
    const ratio = byId.perSecond / ping.perSecond;

    const rate = (t: { perSecond: number; ops: number; millis: number }): string[] =>
      [`${formatNumber(t.perSecond)} ops/s`, `${formatNumber(t.ops)} ops in ${formatNumber(t.millis / 1000, 1)} s`];
    const timing = (t: { medianMs: number; minMs: number; p95Ms: number; runs: number }): string[] =>
      [`${formatNumber(t.medianMs, 1)} ms median`, `min ${formatNumber(t.minMs, 1)} ms, p95 ${formatNumber(t.p95Ms, 1)} ms, ${t.runs} runs`];
    printTable(`embedded engine over the driver, one connection, engine ${engine.where}`, ['operation', 'result', 'detail'], [
      ['ping', ...rate(ping)],
      ['insertOne (acknowledged)', ...rate(insertOne)],
      [`insertMany (${BATCH} per batch)`, `${formatNumber(insertManyRate)} docs/s`, `${formatNumber(DOCS)} docs in ${formatNumber(bulkMs / 1000, 2)} s`],
      ['createIndex unique on 100k docs', `${formatNumber(indexMs, 0)} ms`, 'informational'],
      ['find by _id', ...rate(byId)],
      ['find by unique indexed field', ...rate(byEmail)],
      ['filtered+sorted, 100k docs, no index', ...timing(query)],
      ['$group over 100k docs', ...timing(group)],
      ['find by _id / ping', `${formatNumber(ratio * 100)} %`, 'the wire round-trip is the floor'],
    ]);
    printTargets([
      { name: 'find by _id ≥ 60% of ping', measured: `${formatNumber(ratio * 100)} %`, isMet: ratio >= 0.6 },
      { name: 'insertMany ≥ 50,000 docs/s', measured: `${formatNumber(insertManyRate)} docs/s`, isMet: insertManyRate >= 50_000 },
      { name: '100k unindexed filtered+sorted < 150 ms', measured: `${formatNumber(query.medianMs, 1)} ms median`, isMet: query.medianMs < 150 },
    ]);
  } finally {
    await client.close();
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
