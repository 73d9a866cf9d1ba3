/**
 * An installation from before the check digits (tax id and KPP by pattern
 * only, no OGRN) gains the `inn`/`kpp` formats and the OGRN field at
 * start-up where the administrator left the fields alone, keeps their own
 * pattern where they changed it, and its records with a now-invalid tax id
 * are still listed, read and edited: only a write of the tax id itself must
 * be valid.
 *
 * A file of its own: record validators are cached per process by entity
 * name and revision, so a fresh CRM database started earlier in the same
 * process (organization at the same revision, new definition) would lend
 * the old installation its validators.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EntityDefinition, FieldDefinition } from '../../core/metadata/types.ts';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import { startTestApi, uniqueDbName, type TestApi } from '../support/api.ts';
import { makeTempDir, startTestEngine, type TestEngine } from '../support/engine.ts';
import { create, type Rec } from './fixtures.ts';

type Problem = { status: number; code: string; errors: Array<{ path: string; message: string }> };

const CHECK_DIGIT = 'the check digit does not match';

describe('an installation from before the check digits', () => {
  let engine: TestEngine;
  let oldApps: string;

  before(async () => {
    engine = await startTestEngine();
    // The CRM as shipped before: tax id and KPP checked by pattern only, no OGRN.
    oldApps = makeTempDir('relata-old-apps-');
    cpSync(SHIPPED_APPS_DIR, oldApps, { recursive: true });
    const file = join(oldApps, 'crm', 'entities', 'organization.json');
    const organization = JSON.parse(readFileSync(file, 'utf8')) as EntityDefinition & { duplicates: { keys: string[] } };
    const byName = (name: string) => organization.fields.find((field) => field.name === name) as FieldDefinition;
    Object.assign(byName('taxId'), { pattern: '^([0-9]{10}|[0-9]{12})$', help: { en: '10 digits for a company, 12 for an individual entrepreneur', ru: '10 цифр для юрлица, 12 для ИП' } });
    delete byName('taxId').format;
    Object.assign(byName('kpp'), { pattern: '^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$' });
    delete byName('kpp').format;
    delete byName('kpp').help;
    organization.fields = organization.fields.filter((field) => field.name !== 'ogrn');
    organization.searchable = organization.searchable?.filter((name) => name !== 'ogrn');
    organization.duplicates.keys = organization.duplicates.keys.filter((name) => name !== 'ogrn');
    writeFileSync(file, JSON.stringify(organization));
  });
  after(async () => {
    rmSync(oldApps, { recursive: true, force: true });
    await engine.dispose();
  });

  /** Installs the old CRM, lets `customise` act on it, then starts the current one on the same database. */
  async function upgrade(customise: (old: TestApi) => Promise<void>): Promise<TestApi> {
    const dbName = uniqueDbName();
    const old = await startTestApi({ engine, dbName, appsDir: oldApps });
    try {
      await customise(old);
    } finally {
      await old.close();
    }
    return startTestApi({ engine, dbName, appsDir: SHIPPED_APPS_DIR });
  }

  const fieldOf = async (api: TestApi, name: string) => {
    const entity = await api.request<EntityDefinition>('GET', '/api/v1/meta/entities/organization');
    return entity.body.fields.find((field) => field.name === name);
  };

  it('an untouched definition gains the formats and OGRN; old records with a bad INN are listed, read and edited', async () => {
    let legacy: Rec | undefined;
    const api = await upgrade(async (old) => {
      // Ten digits passed the old pattern; the check digit is wrong.
      legacy = await create(old, 'organization', { name: 'Старая фирма', taxId: '1234567890' });
    });
    try {
      const taxId = await fieldOf(api, 'taxId');
      assert.equal(taxId?.format, 'inn');
      assert.equal(taxId?.pattern, undefined, 'the shipped pattern the administrator left alone is replaced by the format');
      assert.equal((await fieldOf(api, 'kpp'))?.format, 'kpp');
      assert.equal((await fieldOf(api, 'ogrn'))?.format, 'ogrn', 'the new shipped field is added');

      const id = legacy!._id;
      const list = await api.request<{ items: Rec[]; total: number }>('GET', `/api/v1/data/organization?filter=${encodeURIComponent(JSON.stringify({ taxId: '1234567890' }))}`);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.deepEqual(list.body.items.map((item) => item._id), [id]);
      const read = await api.request<Rec>('GET', `/api/v1/data/organization/${id}`);
      assert.deepEqual([read.status, read.body.taxId], [200, '1234567890']);

      // Only the fields a PATCH sends are validated: an unrelated edit goes through.
      const edited = await api.request<Rec>('PATCH', `/api/v1/data/organization/${id}`, { city: 'Тверь', ogrn: '1027700132195' });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.deepEqual([edited.body.city, edited.body.taxId], ['Тверь', '1234567890']);
      // Sending the bad INN is asserting it: refused, like any other write of it.
      const resent = await api.request<Problem>('PATCH', `/api/v1/data/organization/${id}`, { taxId: '1234567890', city: 'Москва' });
      assert.deepEqual([resent.status, resent.body.errors], [400, [{ path: '/taxId', message: `must be a valid INN: ${CHECK_DIGIT}` }]]);
      const fixed = await api.request<Rec>('PATCH', `/api/v1/data/organization/${id}`, { taxId: '7707083893' });
      assert.deepEqual([fixed.status, fixed.body.taxId, fixed.body.city], [200, '7707083893', 'Тверь']);
    } finally {
      await api.close();
    }
  });

  it("an administrator's own pattern survives the upgrade and applies together with the format", async () => {
    const api = await upgrade(async (old) => {
      const changed = await old.request('PATCH', '/api/v1/meta/entities/organization/fields/taxId', { pattern: '^[0-9]{10}$' });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
    });
    try {
      const taxId = await fieldOf(api, 'taxId');
      assert.deepEqual([taxId?.pattern, taxId?.format], ['^[0-9]{10}$', 'inn']);
      await create(api, 'organization', { name: 'Газпром нефть', taxId: '5504036333' });
      const individual = await api.request<Problem>('POST', '/api/v1/data/organization', { name: 'ИП', taxId: '500100732259' });
      assert.equal(individual.status, 400, 'a valid 12-digit INN is still refused by their pattern');
      assert.deepEqual(individual.body.errors.map((error) => error.path), ['/taxId']);
      const badCheck = await api.request<Problem>('POST', '/api/v1/data/organization', { name: 'Ошибка', taxId: '5504036334' });
      assert.deepEqual(badCheck.body.errors, [{ path: '/taxId', message: `must be a valid INN: ${CHECK_DIGIT}` }]);
    } finally {
      await api.close();
    }
  });
});
