/**
 * Generic records API vs hand-written baseline routes, over HTTP with
 * autocannon, against 100,000 records of a 20-field entity on the embedded
 * engine (in its worker thread, as `npm start` runs it).
 *
 * The baseline routes make the same driver calls as the generic operation
 * (read-before-write, the version-guarded update with its history entry,
 * the move of the entry to `_history`) but without any metadata
 * interpretation: no parsing of the query language, no schema validation,
 * no codecs, no access checks. The ratio is the cost of being generic.
 */
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { ObjectId, type Document } from 'mongodb';
import { rmSync } from 'node:fs';
import { connectDatabase } from '../../core/db/connection.ts';
import { startHttpServer } from '../../core/http/server.ts';
import { createLogger } from '../../core/observability/logger.ts';
import { createMetrics } from '../../core/observability/metrics.ts';
import type { RelataApp } from '../../core/http/app.ts';
import { createPlatform } from '../../core/platform.ts';
import { startEmbeddedMongoInWorker } from '../../plugins/embedded-mongo/thread.ts';
import { makeTempDir } from '../support/engine.ts';

const RECORDS = 100_000;
const ADMIN = { email: 'bench@example.com', password: 'bench-password-123' };
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = 8;
const ROUNDS = 2;

function field(name: string, type: string, extra: Document = {}) {
  return { name, type, label: { en: name }, ...extra };
}

const ENTITY = {
  name: 'benchAccount',
  label: { en: 'Bench account' },
  titleField: 'name',
  features: { owner: true, history: true },
  fields: [
    field('name', 'text', { required: true }),
    field('score', 'integer', { indexed: true }),
    ...Array.from({ length: 8 }, (_, i) => field(`text${i}`, 'text')),
    ...Array.from({ length: 5 }, (_, i) => field(`num${i}`, 'number')),
    field('active', 'boolean'),
    field('since', 'date'),
    field('email', 'email'),
    field('kind', 'enum', { options: [{ value: 'a', label: { en: 'A' } }, { value: 'b', label: { en: 'B' } }] }),
    field('budget', 'money'),
  ],
};

function record(i: number): Document {
  const now = new Date();
  const doc: Document = { _id: new ObjectId(), name: `Account ${i}`, score: i % 100, active: i % 2 === 0, since: new Date(Date.UTC(2020, 0, 1 + (i % 365))), email: `a${i}@example.com`, kind: i % 2 ? 'a' : 'b', version: 1, createdAt: now, updatedAt: now, createdBy: null, updatedBy: null, owner: null };
  for (let t = 0; t < 8; t += 1) doc[`text${t}`] = `value ${t} of ${i}`;
  for (let n = 0; n < 5; n += 1) doc[`num${n}`] = i * (n + 1);
  return doc;
}

async function measure(url: string, options: Partial<autocannon.Options>): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S / ROUNDS, ...options });
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx responses`);
  return result.requests.average;
}

export async function run(): Promise<void> {
  const dataDir = makeTempDir('relata-bench-records-');
  const engine = await startEmbeddedMongoInWorker({ dataDir, port: 0 });
  const logger = createLogger({ level: 'fatal' });
  const metrics = createMetrics();
  const database = await connectDatabase({ uri: engine.uri, dbName: 'bench', metrics });
  const collection = database.db.collection('benchAccount');
  const history = database.db.collection('_history');

  // Baseline: the same driver calls, hand-written for this one entity, mounted
  // behind the same sign-in middleware as the generic API (so both pay for
  // authentication and only metadata interpretation differs).
  const baseline = new Hono() as unknown as RelataApp;
  baseline.get('/:id', async (c) => c.json(await collection.findOne({ _id: new ObjectId(c.req.param('id')) }, { projection: { _search: 0, _outbox: 0 } })));
  baseline.get('/', async (c) => c.json({ items: await collection.find({ score: { $gte: 50 } }, { projection: { _search: 0, _outbox: 0 } }).sort({ score: -1, _id: 1 }).limit(51).toArray() }));
  baseline.post('/', async (c) => {
    const body = (await c.req.json()) as Document;
    const doc = { _id: new ObjectId(), ...body, version: 1, createdAt: new Date(), updatedAt: new Date() };
    const entry = { _id: new ObjectId(), entity: 'benchAccount', recordId: doc._id, op: 'create', version: 1, at: new Date(), by: null, changes: [] };
    await collection.insertOne({ ...doc, _outbox: [entry] });
    await history.insertMany([entry], { ordered: false });
    await collection.updateOne({ _id: doc._id }, { $pull: { _outbox: { _id: entry._id } } } as Document);
    return c.json(doc, 201);
  });
  baseline.patch('/:id', async (c) => {
    const id = new ObjectId(c.req.param('id'));
    const body = (await c.req.json()) as Document;
    const current = await collection.findOne({ _id: id });
    if (!current) return c.json({}, 404);
    const entry = { _id: new ObjectId(), entity: 'benchAccount', recordId: id, op: 'update', version: current.version + 1, at: new Date(), by: null, changes: [] };
    await collection.updateOne({ _id: id, version: current.version }, { $set: { ...body, version: current.version + 1, updatedAt: new Date() }, $push: { _outbox: entry } } as Document);
    await history.insertMany([entry], { ordered: false });
    await collection.updateOne({ _id: id }, { $pull: { _outbox: { _id: entry._id } } } as Document);
    return c.json({ ...current, ...body });
  });
  const platform = await createPlatform({
    database,
    logger,
    metrics,
    appsDir: makeTempDir('relata-bench-apps-'),
    auth: { adminEmail: ADMIN.email, adminPassword: ADMIN.password, passwordCost: { logN: 12, r: 8, p: 1 } },
    extraMounts: [{ path: '/api/v1/baseline', routes: baseline }],
  });
  const server = await startHttpServer({ app: platform.app, port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${server.port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  const created = await fetch(`${base}/api/v1/meta/entities`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(ENTITY) });
  if (created.status !== 201) throw new Error(`could not create the bench entity: ${created.status} ${await created.text()}`);
  for (let i = 0; i < RECORDS; i += 5000) await collection.insertMany(Array.from({ length: 5000 }, (_, j) => record(i + j)));
  const ids = (await collection.find({}, { projection: { _id: 1 } }).limit(5000).toArray()).map((doc) => doc._id.toHexString());

  let n = 0;
  const nextId = () => ids[(n += 1) % ids.length]!;
  const filter = encodeURIComponent(JSON.stringify({ score: { $gte: 50 } }));
  const json = { 'content-type': 'application/json', ...auth };
  const cases: Array<{ name: string; generic: Partial<autocannon.Options> & { url: string }; baseline: Partial<autocannon.Options> & { url: string } }> = [
    {
      name: 'GET by id',
      generic: { url: `${base}/api/v1/data/benchAccount/${ids[0]}`, headers: auth, requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/data/benchAccount/${nextId()}` }) }] },
      baseline: { url: `${base}/api/v1/baseline/${ids[0]}`, headers: auth, requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/baseline/${nextId()}` }) }] },
    },
    {
      name: 'list filter+sort+limit 50 (indexed)',
      generic: { url: `${base}/api/v1/data/benchAccount?filter=${filter}&sort=-score&limit=50&count=false`, headers: auth },
      baseline: { url: `${base}/api/v1/baseline`, headers: auth },
    },
    {
      name: 'create',
      generic: { url: `${base}/api/v1/data/benchAccount`, method: 'POST', headers: json, body: JSON.stringify({ name: 'New', score: 7, text0: 'x', num0: 1, budget: '10.50' }) },
      baseline: { url: `${base}/api/v1/baseline`, method: 'POST', headers: json, body: JSON.stringify({ name: 'New', score: 7, text0: 'x', num0: 1, budget: '10.50' }) },
    },
    {
      name: 'patch',
      generic: { url: `${base}/api/v1/data/benchAccount/${ids[0]}`, method: 'PATCH', headers: json, requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/data/benchAccount/${nextId()}`, body: JSON.stringify({ score: n % 100, text1: `t${n}` }) }) }] },
      baseline: { url: `${base}/api/v1/baseline/${ids[0]}`, method: 'PATCH', headers: json, requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/baseline/${nextId()}`, body: JSON.stringify({ score: n % 100, text1: `t${n}` }) }) }] },
    },
  ];

  console.log(`\n## Records API vs baseline (${RECORDS.toLocaleString('en')} records, 20 fields, ${CONNECTIONS} connections, ${DURATION_S} s each)`);
  console.log('| operation | generic req/s | baseline req/s | ratio | target ≥ 0.70 |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  // BENCH_CASES=create,patch runs only those (names matched by prefix, case-insensitive).
  const only = process.env.BENCH_CASES?.toLowerCase().split(',');
  for (const bench of cases.filter((c) => !only || only.some((o) => c.name.toLowerCase().startsWith(o)))) {
    // Alternating halves, so that drift in the machine's load affects both sides alike.
    let baselineRate = 0;
    let genericRate = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      baselineRate += (await measure(bench.baseline.url, bench.baseline)) / ROUNDS;
      genericRate += (await measure(bench.generic.url, bench.generic)) / ROUNDS;
    }
    const ratio = genericRate / baselineRate;
    console.log(`| ${bench.name} | ${genericRate.toFixed(0)} | ${baselineRate.toFixed(0)} | ${ratio.toFixed(2)} | ${ratio >= 0.7 ? 'met' : 'missed'} |`);
  }
  await server.close(1000);
  await platform.close();
  await database.close();
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
}
