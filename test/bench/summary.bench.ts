/**
 * Client summary latency: `GET /api/v1/summary/organization/:id` of an
 * organization with 50 contact persons and 2,000 activities, in a data set
 * of 100,000 activities, on the embedded engine in its worker thread (as
 * `npm start` runs it), one request at a time over HTTP, signed in.
 *
 * Baselines on the same HTTP stack (same middleware, same sign-in):
 * - hand-written: a route making the same queries straight through the
 *   driver for this one schema (no metadata, access rules, codecs, labels);
 *   the ratio is the cost of being generic;
 * - findOne: `GET /api/v1/data/organization/:id`, the floor of one request.
 * Also counted: the database commands one summary sends (constant, not N+1).
 */
import { Hono } from 'hono';
import { ObjectId, type Db, type Document } from 'mongodb';
import { rmSync } from 'node:fs';
import { connectDatabase } from '../../core/db/connection.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { startHttpServer } from '../../core/http/server.ts';
import { createLogger } from '../../core/observability/logger.ts';
import { createMetrics } from '../../core/observability/metrics.ts';
import { createPlatform } from '../../core/platform.ts';
import { startEmbeddedMongoInWorker } from '../../plugins/embedded-mongo/thread.ts';
import { makeTempDir } from '../support/engine.ts';
import { SIZE, writeSummaryData } from './summary-data.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const ADMIN = { email: 'bench@relata.local', password: 'bench-password-1' };

interface Latency {
  p50: number;
  p95: number;
  mean: number;
}

/** Latency of each op, measured interleaved (one of each per round) so a busy machine slows them alike. */
async function latencies(runs: number, ops: ReadonlyArray<() => Promise<void>>): Promise<Latency[]> {
  for (let i = 0; i < Math.min(20, runs); i++) for (const op of ops) await op();
  const all = ops.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [k, op] of ops.entries()) {
      const start = performance.now();
      await op();
      all[k]!.push(performance.now() - start);
    }
  }
  return all.map((times) => {
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    return { p50: at(0.5), p95: at(0.95), mean: times.reduce((a, b) => a + b, 0) / times.length };
  });
}

/** The summary's queries, hand-written for the CRM schema, in the same rounds. */
function handWritten(db: Db): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/api/v1/bench-baseline/summary/:id', async (c) => {
    const id = new ObjectId(c.req.param('id'));
    const now = new Date();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const hide = { projection: { _search: 0, _outbox: 0, _dupKeys: 0 } };
    const employment = db.collection('employment');
    const activity = db.collection('activity');
    const current = { organization: id, $or: [{ endDate: null }, { endDate: { $gte: today } }] };
    const former = { organization: id, endDate: { $lt: today } };
    const sort = { isPrimary: -1, startDate: -1, _id: 1 } as const;
    const [record, currentJobs, currentCount, formerJobs, formerCount, last, next, open, groups, overdue] = await Promise.all([
      db.collection('organization').findOne({ _id: id }, hide),
      employment.find(current, hide).sort(sort).limit(100).toArray(),
      employment.countDocuments(current),
      employment.find(former, hide).sort(sort).limit(100).toArray(),
      employment.countDocuments(former),
      activity.find({ organization: id, status: { $in: ['held'] }, occurredAt: { $ne: null } }, hide).sort({ occurredAt: -1, _id: -1 }).limit(5).toArray(),
      activity.find({ organization: id, status: { $in: ['planned'] }, plannedStart: { $gte: now } }, hide).sort({ plannedStart: 1, _id: 1 }).limit(5).toArray(),
      activity.find({ organization: id, status: { $in: ['planned'] } }, hide).sort({ plannedStart: 1, _id: 1 }).limit(20).toArray(),
      activity.aggregate<{ _id: { type: string; status: string }; n: number }>([{ $match: { organization: id } }, { $group: { _id: { type: '$type', status: '$status' }, n: { $sum: 1 } } }]).toArray(),
      activity.countDocuments({ organization: id, status: { $in: ['planned'] }, plannedStart: { $lt: now } }),
    ]);
    const sum = (status?: string) => groups.filter((g) => status === undefined || g._id.status === status).reduce((n, g) => n + g.n, 0);
    const byType: Record<string, number> = {};
    for (const g of groups) byType[g._id.type] = (byType[g._id.type] ?? 0) + g.n;
    if (!record) return c.json({}, 404);
    const jobs = [...currentJobs, ...formerJobs];
    const personIds = jobs.map((job) => job.person as ObjectId);
    const [persons, siblings] = await Promise.all([
      db.collection('person').find({ _id: { $in: personIds } }, hide).toArray(),
      employment.find({ person: { $in: personIds }, organization: { $ne: id } }, hide).sort(sort).limit(1000).toArray(),
    ]);
    const siblingOrgs = await db.collection('organization').find({ _id: { $in: siblings.map((s) => s.organization as ObjectId) } }, hide).toArray();
    const byId = <T extends Document>(docs: T[]) => new Map(docs.map((doc) => [String(doc._id), doc]));
    const personById = byId(persons);
    const orgById = byId(siblingOrgs);
    const contact = (job: Document) => ({
      record: { ...job, person: personById.get(String(job.person)) ?? job.person },
      siblings: siblings.filter((s) => String(s.person) === String(job.person)).map((s) => ({ ...s, organization: orgById.get(String(s.organization)) ?? s.organization })),
    });
    return c.json({
      record,
      related: [{ current: currentJobs.map(contact), former: formerJobs.map(contact), counts: { total: currentCount + formerCount, current: currentCount, former: formerCount } }],
      timeline: { last, next, open, counts: { total: sum(), done: sum('held'), open: sum('planned'), overdue, byType } },
    });
  });
  return routes;
}

const fmt = (ms: number) => ms.toFixed(1);

export async function run(): Promise<void> {
  const dataDir = makeTempDir('relata-bench-summary-');
  const engine = await startEmbeddedMongoInWorker({ dataDir, port: 0 });
  const metrics = createMetrics();
  const database = await connectDatabase({ uri: engine.uri, dbName: 'bench', metrics });
  const platform = await createPlatform({ database, logger: createLogger({ level: 'warn' }), metrics, auth: { adminEmail: ADMIN.email, adminPassword: ADMIN.password, passwordCost: { logN: 12, r: 8, p: 1 } } });
  const loading = performance.now();
  const { focus, typical } = await writeSummaryData(database.db, platform.registry);
  console.log(`\ndata: ${SIZE.activities.toLocaleString('en')} activities, ${SIZE.organizations.toLocaleString('en')} organizations, ${SIZE.persons.toLocaleString('en')} persons, written in ${((performance.now() - loading) / 1000).toFixed(1)} s`);
  platform.app.route('/', handWritten(database.db));
  const server = await startHttpServer({ app: platform.app, port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const { token } = (await login.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };

    // Database commands one summary sends, whatever the number of related records.
    let commands = 0;
    const count = () => void commands++;
    database.client.on('commandStarted', count);
    await get(`/api/v1/summary/organization/${focus.toHexString()}`);
    const focusCommands = commands;
    commands = 0;
    await get(`/api/v1/summary/organization/${typical.toHexString()}`);
    const typicalCommands = commands;
    database.client.off('commandStarted', count);
    const check = await (await fetch(`${base}/api/v1/summary/organization/${focus.toHexString()}`, { headers })).json() as { related: Array<{ counts: { total: number } }>; timeline: { counts: { total: number } } };

    const names = ['summary (generic), focus organization', 'summary (hand-written), focus organization', 'findOne organization (generic)', 'summary (generic), typical organization'];
    const measured = await latencies(RUNS, [
      () => get(`/api/v1/summary/organization/${focus.toHexString()}`),
      () => get(`/api/v1/bench-baseline/summary/${focus.toHexString()}`),
      () => get(`/api/v1/data/organization/${focus.toHexString()}`),
      () => get(`/api/v1/summary/organization/${typical.toHexString()}`),
    ]);
    const rows = names.map((name, i) => [name, measured[i]!] as const);
    const [generic, hand, findOne] = rows.map(([, l]) => l);
    console.log(`\n## Client summary (${check.related[0]?.counts.total} contact persons, ${check.timeline.counts.total.toLocaleString('en')} activities of ${SIZE.activities.toLocaleString('en')}; ${RUNS} sequential requests each, interleaved)`);
    console.log('| request | p50 ms | p95 ms | mean ms |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, l] of rows) console.log(`| ${name} | ${fmt(l.p50)} | ${fmt(l.p95)} | ${fmt(l.mean)} |`);
    console.log(`\nratio generic / hand-written summary: p50 ${(generic!.p50 / hand!.p50).toFixed(2)}, p95 ${(generic!.p95 / hand!.p95).toFixed(2)}`);
    console.log(`ratio summary / findOne: p50 ${(generic!.p50 / findOne!.p50).toFixed(1)}`);
    console.log(`database commands per summary: ${focusCommands} (focus organization), ${typicalCommands} (typical organization), including the sign-in session check`);
    const target = 200;
    console.log(`target p95 < ${target} ms for the focus organization: ${generic!.p95 < target ? 'met' : 'MISSED'}`);
  } finally {
    await server.close(1000);
    await platform.close();
    await database.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
