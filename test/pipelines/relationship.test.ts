/**
 * Organizations move through the shipped `relationship` pipeline (prospect →
 * qualified → client → former client; not interested): they start as
 * prospects, move by POST …/transition with the `transition` permission,
 * are refused with every reason (422, nothing changed), and their stage
 * history records each move. Organizations stored before the pipeline was
 * shipped (an upgrade) keep working without a stage until they are moved.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PipelineDefinition } from '../../core/metadata/types.ts';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import { makeTempDir, startTestEngine, type TestEngine } from '../support/engine.ts';
import { startTestApi, uniqueDbName, type TestApi } from '../support/api.ts';
import { create, historyCount, ok, setUpSalesTeam, startSalesApi, stored, type Member, type Rec, type SalesTeam } from './fixtures.ts';

interface Problem {
  code: string;
  errors: Array<{ path: string; message: string }>;
}

interface StageItem {
  from: string | null;
  to: string;
  by: string | null;
  dwellMs: number | null;
  note?: string;
}

describe('organizations: the relationship pipeline', () => {
  let api: TestApi;
  let team: SalesTeam;
  /** an account manager in north who may move organizations */
  let olga: Member;

  before(async () => {
    api = await startSalesApi();
    team = await setUpSalesTeam(api);
    await ok(api.request('POST', '/api/v1/meta/roles', { name: 'accountManager', label: { en: 'Account manager' }, permissions: { organization: ['read', 'create', 'update', 'transition'] } }));
    const user = await ok<Rec>(api.request('POST', '/api/v1/data/user', { email: 'olga@example.com', name: 'olga', password: 'olga password 1', roles: ['accountManager'], directions: ['north'] }));
    olga = { id: user._id, request: api.as((await api.login('olga@example.com', 'olga password 1')).token) };
  });
  after(async () => api.close());

  const move = (id: string, body: unknown, request = olga.request) => request<Problem & Rec>('POST', `/api/v1/data/organization/${id}/transition`, body);

  it('is shipped for organizations with localized stages; a new organization starts as a prospect', async () => {
    const pipeline = await ok<PipelineDefinition>(api.request('GET', '/api/v1/meta/pipelines/relationship'), 200);
    assert.equal(pipeline.entity, 'organization');
    assert.deepEqual(pipeline.stages.map((stage) => [stage.name, stage.kind]), [['prospect', 'open'], ['qualified', 'open'], ['client', 'won'], ['formerClient', 'lost'], ['notInterested', 'lost']]);
    for (const stage of pipeline.stages) assert.ok(stage.label.en && stage.label.ru && stage.color, `${stage.name} has en and ru labels and a colour`);
    const entity = await ok<{ features: { pipeline?: string } }>(api.request('GET', '/api/v1/meta/entities/organization'), 200);
    assert.equal(entity.features.pipeline, 'relationship');

    const org = await create(olga.request, 'organization', { name: 'Ромашка' });
    assert.equal(org.stage, 'prospect');
    assert.ok(typeof org.stageEnteredAt === 'string' && Math.abs(Date.parse(org.stageEnteredAt) - Date.now()) < 60_000);
    const patched = await olga.request<Problem>('PATCH', `/api/v1/data/organization/${org._id}`, { stage: 'client' });
    assert.equal(patched.status, 400, 'the stage changes only through a transition');
  });

  it('moves prospect → qualified → client by transition, and records each move in the stage history', async () => {
    const org = await create(olga.request, 'organization', { name: 'Лютик', taxId: '7707083893' });
    assert.equal((await move(org._id, { stage: 'qualified', note: 'Budget confirmed' })).status, 200);
    const client = await move(org._id, { stage: 'client' });
    assert.equal(client.status, 200, JSON.stringify(client.body));
    assert.equal(client.body.stage, 'client');

    const history = await ok<{ items: StageItem[]; total: number }>(olga.request('GET', `/api/v1/data/organization/${org._id}/stages`), 200);
    assert.equal(history.total, 3);
    assert.deepEqual(
      history.items.map(({ from, to, by, note }) => ({ from, to, by, note })),
      [
        { from: 'qualified', to: 'client', by: olga.id, note: undefined },
        { from: 'prospect', to: 'qualified', by: olga.id, note: 'Budget confirmed' },
        { from: null, to: 'prospect', by: olga.id, note: undefined },
      ],
    );
    assert.ok(history.items[0]!.dwellMs !== null && history.items[0]!.dwellMs >= 0, 'time spent in the stage left');
    assert.equal(history.items[2]!.dwellMs, null);
    // The board groups organizations by relationship stage.
    const board = await ok<{ stages: Array<{ name: string; count: number }> }>(olga.request('GET', `/api/v1/board/organization?filter=${encodeURIComponent(JSON.stringify({ name: 'Лютик' }))}`), 200);
    assert.deepEqual(board.stages.filter((stage) => stage.count > 0).map((stage) => stage.name), ['client']);
  });

  it('refuses with 422 and every reason, changing nothing: a stage not allowed next, a client without its tax id; 403 without the transition permission', async () => {
    const org = await create(olga.request, 'organization', { name: 'Василёк' });
    const refused = async (stage: string, paths: string[]) => {
      const before = await stored(api, 'organization', org._id);
      const entries = await historyCount(api, org._id);
      const response = await move(org._id, { stage });
      assert.equal(response.status, 422, JSON.stringify(response.body));
      assert.equal(response.body.code, 'RULE_REFUSED');
      assert.deepEqual(response.body.errors.map((error) => error.path).sort(), paths, JSON.stringify(response.body.errors));
      assert.deepEqual(await stored(api, 'organization', org._id), before, 'the organization is unchanged');
      assert.equal(await historyCount(api, org._id), entries, 'no history was written');
      return response.body;
    };
    const notNext = await refused('formerClient', ['/stage']);
    assert.match(notNext.errors[0]!.message, /cannot move from "prospect" to "formerClient"/);
    const noTaxId = await refused('client', ['/taxId']);
    assert.match(noTaxId.errors[0]!.message, /is required to enter "Client"/);

    const seller = await move(org._id, { stage: 'qualified' }, team.alice.request);
    assert.equal(seller.status, 403, 'the seller role may edit organizations but not move them');
    assert.equal((await move(org._id, { stage: 'qualified' }, team.bob.request)).status, 404, 'bob works in south and never sees a north organization');
    assert.equal((await stored(api, 'organization', org._id))?.stage, 'prospect');
  });
});

describe('organizations stored before the relationship pipeline was shipped', () => {
  let engine: TestEngine;
  let oldApps: string;
  const dbName = uniqueDbName();

  before(async () => {
    engine = await startTestEngine();
    // The CRM as shipped before: organizations without a pipeline, no relationship.json.
    oldApps = makeTempDir('relata-old-apps-');
    cpSync(SHIPPED_APPS_DIR, oldApps, { recursive: true });
    rmSync(join(oldApps, 'crm', 'pipelines', 'relationship.json'));
    const file = join(oldApps, 'crm', 'entities', 'organization.json');
    const organization = JSON.parse(readFileSync(file, 'utf8')) as { features: Record<string, unknown>; indexes: unknown[] };
    delete organization.features.pipeline;
    organization.indexes = organization.indexes.slice(0, 1);
    writeFileSync(file, JSON.stringify(organization));
  });
  after(async () => {
    rmSync(oldApps, { recursive: true, force: true });
    await engine.dispose();
  });

  it('gain the pipeline at upgrade and keep working without a stage: read, edit, listed as unassigned on the board, moved to any stage', async () => {
    const old = await startTestApi({ engine, dbName, appsDir: oldApps });
    const before = await ok<Rec>(old.request('POST', '/api/v1/data/organization', { name: 'Старая фирма', taxId: '7707083893' }));
    assert.equal(before.stage, undefined);
    await old.close();

    const api = await startTestApi({ engine, dbName, appsDir: SHIPPED_APPS_DIR });
    try {
      const entity = await ok<{ features: { pipeline?: string } }>(api.request('GET', '/api/v1/meta/entities/organization'), 200);
      assert.equal(entity.features.pipeline, 'relationship', 'the upgrade merged the shipped pipeline into the stored definition');
      const read = await ok<Rec>(api.request('GET', `/api/v1/data/organization/${before._id}`), 200);
      assert.equal(read.stage, undefined);
      await ok(api.request('PATCH', `/api/v1/data/organization/${before._id}`, { city: 'Москва' }), 200);
      const fresh = await ok<Rec>(api.request('POST', '/api/v1/data/organization', { name: 'Новая фирма' }));
      assert.equal(fresh.stage, 'prospect');

      const board = await ok<{ stages: Array<{ name: string; count: number }>; unassigned?: { count: number }; total: { count: number } }>(api.request('GET', '/api/v1/board/organization'), 200);
      assert.deepEqual({ prospects: board.stages.find((stage) => stage.name === 'prospect')?.count, unassigned: board.unassigned?.count, total: board.total.count }, { prospects: 1, unassigned: 1, total: 2 });

      const moved = await api.request<Rec>('POST', `/api/v1/data/organization/${before._id}/transition`, { stage: 'client' });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      const history = await ok<{ items: StageItem[] }>(api.request('GET', `/api/v1/data/organization/${before._id}/stages`), 200);
      assert.deepEqual(history.items.map(({ from, to, dwellMs }) => ({ from, to, dwellMs })), [{ from: null, to: 'client', dwellMs: null }]);
    } finally {
      await api.close();
    }
  });
});
