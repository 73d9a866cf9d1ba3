/**
 * Agenda 6 (`agenda` + `@agendajs/mongo-backend`) on the embedded engine: jobs are scheduled,
 * locked, run and completed exactly as on MongoDB. Counters in a collection prove how often each
 * job ran; the engine's atomic findAndModify is what keeps two Agenda instances from both running one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agenda, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { MongoClient, type Db } from 'mongodb';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

const POLL_MS = 100;

interface RunCounter {
  _id: string;
  runs: number;
  at: Date[];
  by: string[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function makeAgenda(db: Db, name: string, extra: { lockLimit?: number; concurrency?: number } = {}): Agenda {
  return new Agenda({
    backend: new MongoBackend({ mongo: db }),
    name,
    processEvery: POLL_MS,
    defaultConcurrency: extra.concurrency ?? 5,
    defaultLockLimit: extra.lockLimit ?? 0,
    // Agenda re-checks a running job's lock every lockLifetime / 2 on a timer that outlives the
    // job (default 10 min: the test process would linger 5 min); our jobs take milliseconds.
    defaultLockLifetime: 2000,
  });
}

describe('Agenda 6 on the embedded engine', () => {
  let engine: TestEngine;
  let client: MongoClient;
  let db: Db;
  before(async () => {
    engine = await startTestEngine();
    client = await new MongoClient(engine.uri).connect();
  });
  after(async () => {
    await client.close();
    await engine.dispose();
  });

  /** A fresh database per test keeps jobs of one test from being picked up in another. */
  function freshDb(name: string): Db {
    db = client.db(name);
    return db;
  }

  /** Job handler body: one counter document per key, one array entry per run. */
  async function countRun(key: string, by: string): Promise<void> {
    await db.collection<RunCounter>('runs').updateOne({ _id: key }, { $inc: { runs: 1 }, $push: { at: new Date(), by } }, { upsert: true });
  }

  async function assertNothingLocked(): Promise<void> {
    const locked = await db.collection('agendaJobs').countDocuments({ lockedAt: { $ne: null } });
    assert.equal(locked, 0, 'no job is left locked after stop()');
  }

  it('runs a job scheduled now and one scheduled in 1 second exactly once each, and completes them', async () => {
    freshDb('agenda_once');
    const agenda = makeAgenda(db, 'solo');
    agenda.define('count-now', async (job: Job) => countRun(job.attrs.name, 'solo'));
    agenda.define('count-later', async (job: Job) => countRun(job.attrs.name, 'solo'));
    await agenda.start();
    try {
      const scheduledAt = Date.now();
      await agenda.now('count-now');
      await agenda.schedule(new Date(scheduledAt + 1000), 'count-later');
      await waitFor('both jobs to finish', async () =>
        (await db.collection('agendaJobs').countDocuments({ lastFinishedAt: { $exists: true, $ne: null } })) === 2);
      await sleep(10 * POLL_MS); // ten more polls: a second run would show up now

      const runs = await db.collection<RunCounter>('runs').find().sort({ _id: 1 }).toArray();
      assert.deepEqual(runs.map((r) => [r._id, r.runs]), [['count-later', 1], ['count-now', 1]]);
      const later = runs.find((r) => r._id === 'count-later');
      assert.ok(later && later.at[0].getTime() >= scheduledAt + 1000, 'the delayed job did not run early');
      const jobs = await db.collection('agendaJobs').find().toArray();
      assert.equal(jobs.length, 2);
      for (const job of jobs) {
        assert.ok(job.lastFinishedAt instanceof Date, `${job.name} completed`);
        assert.equal(job.nextRunAt ?? null, null, `${job.name} is not scheduled again`);
        assert.equal(job.failCount ?? 0, 0);
      }
    } finally {
      await agenda.stop();
    }
    await assertNothingLocked();
  });

  it('never runs one job twice when two Agenda instances poll the same engine, and both take part', async () => {
    freshDb('agenda_pair');
    const JOBS = 30;
    // Small lock limits make the instances compete for the same jobs instead of one taking all.
    // Each instance on its own connection pool, as two worker processes would be.
    const clients = await Promise.all([0, 1].map(() => new MongoClient(engine.uri).connect()));
    const agendas = ['left', 'right'].map((name, i) => makeAgenda(clients[i].db('agenda_pair'), name, { lockLimit: 2, concurrency: 2 }));
    try {
      for (const [i, agenda] of agendas.entries()) {
        const name = i === 0 ? 'left' : 'right';
        agenda.define('shared', async (job: Job<{ n: number }>) => {
          await sleep(30);
          await countRun(`job-${job.attrs.data.n}`, name);
        });
      }
      await Promise.all(agendas.map((agenda) => agenda.start()));
      for (let n = 0; n < JOBS; n++) await agendas[n % 2].now('shared', { n });
      await waitFor('all jobs to finish', async () =>
        (await db.collection('agendaJobs').countDocuments({ name: 'shared', lastFinishedAt: { $ne: null } })) === JOBS, 15000);
      await sleep(10 * POLL_MS);

      const runs = await db.collection<RunCounter>('runs').find().toArray();
      assert.equal(runs.length, JOBS, 'every job ran');
      for (const r of runs) assert.equal(r.runs, 1, `${r._id} ran exactly once (by ${r.by.join(', ')})`);
      const ranBy = new Set(runs.flatMap((r) => r.by));
      assert.deepEqual([...ranBy].sort(), ['left', 'right'], 'both instances ran jobs');
    } finally {
      await Promise.all(agendas.map((agenda) => agenda.stop()));
      await Promise.all(clients.map((c) => c.close()));
    }
    await assertNothingLocked();
  });

  it('runs a job defined with every() repeatedly from a single job document', async () => {
    freshDb('agenda_every');
    const agenda = makeAgenda(db, 'ticker');
    agenda.define('tick', async () => countRun('tick', 'ticker'));
    await agenda.start();
    try {
      await agenda.every('1 second', 'tick');
      await waitFor('tick to run three times', async () => ((await db.collection<RunCounter>('runs').findOne({ _id: 'tick' }))?.runs ?? 0) >= 3, 8000);
      const jobs = await db.collection('agendaJobs').find({ name: 'tick' }).toArray();
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0].repeatInterval, '1 second');
      assert.ok(jobs[0].nextRunAt instanceof Date, 'the repeating job stays scheduled');
    } finally {
      await agenda.stop();
    }
    await assertNothingLocked();
    // stop() halts processing: no run happens afterwards.
    const before = (await db.collection<RunCounter>('runs').findOne({ _id: 'tick' }))?.runs;
    await sleep(1500);
    assert.equal((await db.collection<RunCounter>('runs').findOne({ _id: 'tick' }))?.runs, before);
  });
});
