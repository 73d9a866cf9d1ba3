/**
 * A small organisation for access tests: two business directions, a
 * partitioned `deal` with owners and a restricted field, a plain
 * `organization`, a `task` referring to deals, roles of different reach,
 * and users signed in with each.
 */
import assert from 'node:assert/strict';
import type { RequestFn, TestApi } from '../support/api.ts';

export interface Person {
  id: string;
  token: string;
  request: RequestFn;
}

export type Cast = Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'frank', Person>;

async function ok(response: Promise<{ status: number; body: unknown }>, expected = 201): Promise<{ _id: string }> {
  const result = await response;
  assert.equal(result.status, expected, JSON.stringify(result.body));
  return result.body as { _id: string };
}

export async function setUpOrganisation(api: TestApi): Promise<Cast> {
  for (const [name, ru] of [['north', 'Север'], ['south', 'Юг']]) {
    await ok(api.request('POST', '/api/v1/meta/directions', { name, label: { en: name, ru } }));
  }
  await ok(api.request('POST', '/api/v1/meta/entities', {
    name: 'organization',
    label: { en: 'Organization' },
    titleField: 'name',
    features: { owner: true },
    fields: [
      { name: 'name', type: 'text', label: { en: 'Name' }, required: true },
      { name: 'taxId', type: 'text', label: { en: 'Tax id' } },
    ],
  }));
  await ok(api.request('POST', '/api/v1/meta/entities', {
    name: 'deal',
    label: { en: 'Deal' },
    titleField: 'title',
    searchable: ['title', 'secretNote'],
    features: { owner: true, direction: true, history: true },
    fields: [
      { name: 'title', type: 'text', label: { en: 'Title' }, required: true },
      { name: 'amount', type: 'number', label: { en: 'Amount' } },
      { name: 'secretNote', type: 'text', label: { en: 'Secret note' } },
      { name: 'organization', type: 'reference', entity: 'organization', label: { en: 'Organization' } },
    ],
  }));
  await ok(api.request('POST', '/api/v1/meta/entities', {
    name: 'task',
    label: { en: 'Task' },
    titleField: 'subject',
    features: { owner: true },
    fields: [
      { name: 'subject', type: 'text', label: { en: 'Subject' }, required: true },
      { name: 'deal', type: 'reference', entity: 'deal', label: { en: 'Deal' } },
    ],
  }));
  const roles = [
    { name: 'sales', label: { en: 'Sales' }, permissions: {
      deal: { actions: ['read', 'create', 'update'], own: 'owner', fields: { secretNote: { read: false }, amount: { write: false } } },
      organization: ['read'],
      task: ['read', 'create'],
    } },
    { name: 'lead', label: { en: 'Team lead' }, permissions: {
      deal: { actions: ['read', 'create', 'update', 'delete'], own: 'team' },
      organization: ['read', 'create', 'update'],
      user: ['read', 'update'],
    } },
    { name: 'auditor', label: { en: 'Auditor' }, allDirections: true, permissions: { deal: ['read'], organization: ['read'], task: ['read'] } },
    { name: 'viewer', label: { en: 'Viewer' }, permissions: { deal: ['read'] } },
  ];
  for (const role of roles) await ok(api.request('POST', '/api/v1/meta/roles', role));

  const people: Array<[keyof Cast, string[], string[]]> = [
    ['carol', ['lead'], ['north']],
    ['alice', ['sales'], ['north']],
    ['bob', ['sales'], ['south']],
    ['dave', ['auditor'], []],
    ['erin', ['viewer'], ['north']],
    ['frank', ['sales'], ['north', 'south']],
  ];
  const cast = {} as Cast;
  for (const [name, userRoles, directions] of people) {
    const created = await ok(api.request('POST', '/api/v1/data/user', {
      email: `${name}@example.com`,
      name,
      password: `${name} password 1`,
      roles: userRoles,
      directions,
      ...(name === 'alice' ? { manager: cast.carol.id } : {}),
    }));
    const session = await api.login(`${name}@example.com`, `${name} password 1`);
    cast[name] = { id: created._id, token: session.token, request: api.as(session.token) };
  }
  return cast;
}

/** Counts of every record collection and of history: proof that nothing changed. */
export async function snapshotCounts(api: TestApi): Promise<Record<string, unknown>> {
  const db = api.database.db;
  const out: Record<string, unknown> = {};
  for (const name of ['deal', 'organization', 'task', 'user', '_history']) {
    out[name] = await db.collection(name).find({}, { projection: { _id: 1, version: 1, owner: 1, direction: 1 } }).sort({ _id: 1 }).toArray();
  }
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}
