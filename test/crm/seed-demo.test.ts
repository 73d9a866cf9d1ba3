import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { innProblem, kppProblem, ogrnProblem } from '../../core/metadata/russian-ids.ts';
import { generateDemo } from '../../scripts/demo/generate.ts';
import { seedDemo } from '../../scripts/demo/seed.ts';
import type { TestApi } from '../support/api.ts';
import { startCrmApi } from './fixtures.ts';

const small = { organizations: 6, persons: 20, activities: 60 };

describe('demo data set', () => {
  let api: TestApi;
  before(async () => {
    api = await startCrmApi();
  });
  after(async () => api.close());

  it('is generated deterministically, in Russian and English, with people in two organizations', () => {
    const a = generateDemo({ size: small, now: new Date('2030-01-01T00:00:00Z') });
    const b = generateDemo({ size: small, now: new Date('2030-01-01T00:00:00Z') });
    assert.deepEqual(a, b);
    const full = generateDemo();
    assert.equal(full.organizations.length, 200);
    assert.equal(full.persons.length, 600);
    assert.equal(full.activities.length, 5000);
    assert.ok(full.persons.some((p) => /[а-я]/i.test(String(p.data.lastName))) && full.persons.some((p) => /^[A-Z][a-z]+$/.test(String(p.data.lastName))));
    const jobs = new Map<number, number>();
    for (const e of full.employments) jobs.set(e.person, (jobs.get(e.person) ?? 0) + 1);
    assert.ok([...jobs.values()].filter((n) => n > 1).length >= 50, 'some people work in two organizations');
    assert.ok(full.activities.some((x) => x.data.status === 'planned') && full.activities.some((x) => x.data.status === 'held'));
  });

  it('gives Russian organizations an INN, KPP and OGRN that pass their check digits', () => {
    const russian = generateDemo().organizations.filter((o) => o.data.taxId !== undefined);
    assert.ok(russian.length > 100, `${russian.length} organizations with an INN`);
    for (const { data } of russian) {
      assert.deepEqual([innProblem(String(data.taxId)), kppProblem(String(data.kpp)), ogrnProblem(String(data.ogrn))], [undefined, undefined, undefined], JSON.stringify(data));
    }
  });

  it('is written through the platform operations, once: a second run does nothing', async () => {
    const set = generateDemo({ size: small });
    const first = await seedDemo({ platform: api.platform, set });
    assert.equal(first.kind, 'seeded');
    assert.deepEqual(first.kind === 'seeded' && first.counts, { users: 6, organizations: 6, persons: 20, employments: set.employments.length, activities: 60 });
    const summary = await api.request<{ related: unknown[]; timeline: { counts: { total: number } } }>('GET', `/api/v1/summary/organization/${(await api.database.db.collection('organization').findOne({}))!._id.toHexString()}`);
    assert.equal(summary.status, 200);
    const history = await api.database.db.collection('_history').countDocuments({ entity: 'activity', op: 'create' });
    assert.equal(history, 60, 'created with history, like any record');
    const again = await seedDemo({ platform: api.platform, set });
    assert.equal(again.kind, 'already-seeded');
    assert.equal(await api.database.db.collection('organization').countDocuments(), 6);
    const manager = await api.login('manager1@demo.relata.local', 'demo-password-2026');
    assert.ok(manager.token, 'the demo managers can sign in');
  });
});
