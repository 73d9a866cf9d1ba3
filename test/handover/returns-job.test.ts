/**
 * The timed return of a handover runs as the recurring Agenda job
 * `handover.returns`: once the handover's `until` passes, the records go back
 * to their owner — exactly once, even with two worker runtimes on one queue,
 * two returns racing for the same handovers, or a return taken over from a
 * worker that died part-way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, ObjectId } from 'mongodb';
import type { HandoverDeps } from '../../core/handover/handover.ts';
import { CLAIM_TIMEOUT_MS, runDueHandoverReturns } from '../../core/handover/returns.ts';
import { handovers } from '../../core/handover/store.ts';
import type { RecordDeps } from '../../core/records/deps.ts';
import { createAgenda } from '../../workers/agenda.ts';
import { startWorkers } from '../../workers/runtime.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createCapturingLogger } from '../support/platform.ts';

type Rec = Record<string, unknown> & { _id: string };
type HistoryItem = { op: string; changes: Array<{ field: string; from: unknown; to: unknown }> };

describe('handover returns as an Agenda job', () => {
  let api: TestApi;
  let away: string;
  let standIn: string;
  const clients: MongoClient[] = [];

  before(async () => {
    api = await startTestApi();
    const entity = { name: 'account', label: { en: 'Account' }, features: { owner: true, history: true }, fields: [{ name: 'title', type: 'text', label: { en: 'Title' } }] };
    assert.equal((await api.request('POST', '/api/v1/meta/entities', entity)).status, 201);
    assert.equal((await api.request('POST', '/api/v1/meta/roles', { name: 'staff', label: { en: 'Staff' }, permissions: { account: ['read', 'create', 'update'] } })).status, 201);
    const ids: string[] = [];
    for (const name of ['away', 'stand-in']) {
      const created = await api.request<Rec>('POST', '/api/v1/data/user', { email: `${name}@example.com`, name, password: `${name} password 1`, roles: ['staff'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids.push(created.body._id);
    }
    [away, standIn] = ids as [string, string];
  });
  after(async () => {
    for (const client of clients) await client.close();
    await api.close();
  });

  /** A worker process's view of the platform: its own connection pool, the same metadata. */
  async function workerRecords(): Promise<RecordDeps> {
    const client = await new MongoClient(api.engine.uri).connect();
    clients.push(client);
    return { ...api.platform.records, db: client.db(api.database.db.databaseName) };
  }

  async function accountsOf(owner: string, count: number, prefix: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const created = await api.request<Rec>('POST', '/api/v1/data/account', { title: `${prefix} ${i}`, owner });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids.push(created.body._id);
    }
    return ids;
  }

  /** Hands every account of `away` over until `until`; answers the handover's id. */
  async function handOver(until: Date): Promise<string> {
    const response = await api.request<{ id: string }>('POST', '/api/v1/handover', { from: away, to: standIn, until: until.toISOString(), entities: ['account'] });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body.id;
  }

  const ownerOf = async (id: string) => ((await api.database.db.collection('account').findOne({ _id: new ObjectId(id) }))?.owner as ObjectId | undefined)?.toHexString();
  const history = async (id: string) => (await api.request<{ items: HistoryItem[] }>('GET', `/api/v1/data/account/${id}/history`)).body.items;
  const returnedAudits = async (handoverId: string) =>
    (await api.request<{ items: Array<{ details: { handover: string } }> }>('GET', '/api/v1/audit?type=handover.returned')).body.items.filter((entry) => entry.details.handover === handoverId);

  /** Each account went to the stand-in and came back once: one history entry each way after its creation. */
  async function assertReturnedOnce(ids: string[]): Promise<void> {
    for (const id of ids) {
      assert.equal(await ownerOf(id), away, `${id} is back with its owner`);
      const moves = (await history(id)).filter((item) => item.changes.some((change) => change.field === 'owner'));
      assert.deepEqual(
        moves.map((item) => [item.op, item.changes.find((change) => change.field === 'owner')?.to]),
        [
          ['handover', away],
          ['handover', standIn],
          ['create', away],
        ],
        `${id}: newest first, one handover each way`,
      );
    }
  }

  it('two worker runtimes on one queue return the records when "until" passes, once', async () => {
    const ids = await accountsOf(away, 3, 'Agenda');
    const until = new Date(Date.now() + 1500);
    const handoverId = await handOver(until);
    assert.deepEqual(await Promise.all(ids.map(ownerOf)), [standIn, standIn, standIn]);

    const { logger, lines } = createCapturingLogger();
    const runtimes = await Promise.all(
      ['worker-a', 'worker-b'].map(async (name) => {
        const records = await workerRecords();
        const agenda = createAgenda({ db: records.db, name, processEvery: 100 });
        return startWorkers({ agenda, workerId: name, deps: { db: records.db, logger }, sweepEvery: '1 hour', handover: { records, audit: api.platform.audit }, handoverReturnsEvery: 250, lockLifetimeMs: 2000 });
      }),
    );
    try {
      const deadline = Date.now() + 15_000;
      while ((await handovers(api.database.db).findOne({ _id: new ObjectId(handoverId) }))?.status !== 'done' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(Date.now() >= until.getTime(), 'not before "until"');
      await new Promise((resolve) => setTimeout(resolve, 1000)); // several more runs of the job: a second return would show now
    } finally {
      await Promise.all(runtimes.map((runtime) => runtime.stop(5000)));
      await api.platform.bus.drain();
    }
    const stored = await handovers(api.database.db).findOne({ _id: new ObjectId(handoverId) });
    assert.equal(stored?.status, 'done');
    assert.deepEqual(stored?.returned, { account: 3 });
    assert.equal(stored?.attempts, 1, 'claimed once');
    await assertReturnedOnce(ids);
    assert.equal((await returnedAudits(handoverId)).length, 1);
    assert.equal(lines.filter((line) => line.includes('"msg":"handover returns"')).length, 1, 'one run returned it; the others found nothing due');
  });

  it('two returns racing for the same due handovers share them: each handover is returned, and audited, by one', async () => {
    const until = new Date(Date.now() + 60_000);
    const first = await accountsOf(away, 2, 'Race one');
    const firstId = await handOver(until);
    // Accounts that came later go in a second handover, due at the same time.
    const second = await accountsOf(away, 2, 'Race two');
    const secondId = await handOver(until);
    assert.notEqual(firstId, secondId);

    const left: HandoverDeps = { records: await workerRecords(), audit: api.platform.audit };
    const right: HandoverDeps = { records: await workerRecords(), audit: api.platform.audit };
    const later = new Date(until.getTime() + 1000);
    const results = (await Promise.all([runDueHandoverReturns(left, later), runDueHandoverReturns(right, later)])).flat();
    await api.platform.bus.drain();
    assert.deepEqual(results.map((result) => result.id).sort(), [firstId, secondId].sort());
    assert.deepEqual(results.map((result) => result.skipped), [0, 0]);
    await assertReturnedOnce([...first, ...second]);
    for (const id of [firstId, secondId]) assert.equal((await returnedAudits(id)).length, 1);
    assert.deepEqual(await runDueHandoverReturns(left, new Date(later.getTime() + 1000)), [], 'nothing left to do');
  });

  it('a return whose worker died part-way is taken over after the claim timeout and finished once', async () => {
    const ids = await accountsOf(away, 2, 'Crash');
    const earlier = await api.database.db.collection('account').countDocuments({ owner: new ObjectId(away) });
    const until = new Date(Date.now() + 60_000);
    const handoverId = await handOver(until);
    const later = new Date(until.getTime() + 1000);
    // The dead worker's claim: `returning`, claimed just after "until", never finished.
    await handovers(api.database.db).updateOne({ _id: new ObjectId(handoverId) }, { $set: { status: 'returning', claimedAt: later, claimId: new ObjectId() }, $inc: { attempts: 1 } });
    const deps: HandoverDeps = { records: api.platform.records, audit: api.platform.audit };
    assert.deepEqual(await runDueHandoverReturns(deps, new Date(later.getTime() + CLAIM_TIMEOUT_MS - 1000)), [], 'a live claim is left alone');
    const taken = await runDueHandoverReturns(deps, new Date(later.getTime() + CLAIM_TIMEOUT_MS + 1000));
    await api.platform.bus.drain();
    assert.deepEqual(taken.map((result) => [result.id, result.returned]), [[handoverId, { account: earlier }]], 'every account away owned, the earlier tests\' included');
    assert.equal((await handovers(api.database.db).findOne({ _id: new ObjectId(handoverId) }))?.attempts, 2);
    await assertReturnedOnce(ids);
    assert.equal((await returnedAudits(handoverId)).length, 1);
  });
});
