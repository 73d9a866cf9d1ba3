/**
 * Organizations' registration numbers are checked, not just shaped: the tax
 * id (INN, 10 or 12 digits), KPP and OGRN (13, or 15 for a sole proprietor's
 * OGRNIP) with their check digits; a bad one is a 400 at its field saying
 * what is wrong, and nothing is stored. (Upgrading an installation from
 * before the check: russian-ids-upgrade.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApi } from '../support/api.ts';
import { create, startCrmApi, type Rec } from './fixtures.ts';

type Problem = { status: number; code: string; errors: Array<{ path: string; message: string }> };

const CHECK_DIGIT = 'the check digit does not match';

describe('organization registration numbers through the API', () => {
  let api: TestApi;
  before(async () => {
    api = await startCrmApi();
  });
  after(async () => api.close());

  const count = () => api.database.db.collection('organization').countDocuments();

  it('stores a company (10-digit INN, KPP, 13-digit OGRN) and a sole proprietor (12-digit INN, 15-digit OGRNIP)', async () => {
    const company = await create(api, 'organization', { name: 'Сбербанк', taxId: '7707083893', kpp: '773601001', ogrn: '1027700132195' });
    assert.deepEqual([company.taxId, company.kpp, company.ogrn], ['7707083893', '773601001', '1027700132195']);
    const proprietor = await create(api, 'organization', { name: 'ИП Иванов', taxId: '500100732259', ogrn: '304500116000157' });
    assert.deepEqual([proprietor.taxId, proprietor.ogrn], ['500100732259', '304500116000157']);
  });

  it('refuses wrong check digits, lengths and characters with a message per field; nothing is stored', async () => {
    const before = await count();
    const response = await api.request<Problem>('POST', '/api/v1/data/organization', { name: 'Ошибка', taxId: '7707083894', kpp: '7736ab001', ogrn: '102770013219' });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, 'FIELD_INVALID');
    assert.deepEqual(response.body.errors, [
      { path: '/taxId', message: `must be a valid INN: ${CHECK_DIGIT}` },
      { path: '/kpp', message: 'must be a valid KPP: 4 digits, then 2 digits or capital Latin letters, then 3 digits' },
      { path: '/ogrn', message: 'must be a valid OGRN: it has 13 digits for an organisation (OGRN) or 15 for a sole proprietor (OGRNIP), not 12' },
    ]);
    const letters = await api.request<Problem>('POST', '/api/v1/data/organization', { name: 'Ошибка', taxId: '77O7083893', ogrn: '1027700132194' });
    assert.deepEqual(letters.body.errors, [
      { path: '/taxId', message: 'must be a valid INN: only the digits 0-9 are allowed' },
      { path: '/ogrn', message: `must be a valid OGRN: ${CHECK_DIGIT}` },
    ]);
    assert.equal(await count(), before);
  });

  it('refuses a bad INN in an update and leaves the record as it was; null clears it', async () => {
    const org = await create(api, 'organization', { name: 'Газпром', taxId: '7736050003' });
    const response = await api.request<Problem>('PATCH', `/api/v1/data/organization/${org._id}`, { taxId: '7736050004', city: 'Москва' });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body.errors, [{ path: '/taxId', message: `must be a valid INN: ${CHECK_DIGIT}` }]);
    const stored = await api.request<Rec>('GET', `/api/v1/data/organization/${org._id}`);
    assert.deepEqual([stored.body.taxId, stored.body.city, stored.body.version], ['7736050003', undefined, org.version]);
    const cleared = await api.request<Rec>('PATCH', `/api/v1/data/organization/${org._id}`, { taxId: null });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.equal(cleared.body.taxId, undefined);
  });

  it('publishes the formats in the compiled JSON Schema', async () => {
    const response = await api.request<{ properties: Record<string, { format?: string }> }>('GET', '/api/v1/meta/entities/organization/schema');
    assert.equal(response.status, 200);
    const { taxId, kpp, ogrn } = response.body.properties;
    assert.deepEqual([taxId?.format, kpp?.format, ogrn?.format], ['inn', 'kpp', 'ogrn']);
  });
});
