/**
 * The CRM as shipped (deal, sales pipeline) with two business directions,
 * a seller in each, a reader who may not move deals, and short ways to
 * create records and read the raw database.
 */
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import { startTestApi, type RequestFn, type TestApi } from '../support/api.ts';

export type Rec = Record<string, unknown> & { _id: string; version: number };

export interface Member {
  id: string;
  request: RequestFn;
}

export interface SalesTeam {
  /** seller in north */
  alice: Member;
  /** seller in south */
  bob: Member;
  /** reads north deals, may not move them */
  vera: Member;
}

export function startSalesApi(): Promise<TestApi> {
  return startTestApi({ appsDir: SHIPPED_APPS_DIR });
}

export async function ok<T = Rec>(response: Promise<{ status: number; body: unknown }>, expected = 201): Promise<T> {
  const result = await response;
  assert.equal(result.status, expected, JSON.stringify(result.body));
  return result.body as T;
}

export async function setUpSalesTeam(api: TestApi): Promise<SalesTeam> {
  for (const [name, ru] of [['north', 'Север'], ['south', 'Юг']]) await ok(api.request('POST', '/api/v1/meta/directions', { name, label: { en: name, ru } }));
  const crm = ['read', 'create', 'update'];
  await ok(api.request('POST', '/api/v1/meta/roles', {
    name: 'seller',
    label: { en: 'Seller' },
    permissions: { deal: [...crm, 'transition'], organization: crm, person: crm, activity: crm, employment: crm },
  }));
  await ok(api.request('POST', '/api/v1/meta/roles', { name: 'reader', label: { en: 'Reader' }, permissions: { deal: ['read', 'update'], organization: ['read'] } }));
  const member = async (name: string, roles: string[], directions: string[]): Promise<Member> => {
    const user = await ok<Rec>(api.request('POST', '/api/v1/data/user', { email: `${name}@example.com`, name, password: `${name} password 1`, roles, directions }));
    const session = await api.login(`${name}@example.com`, `${name} password 1`);
    return { id: user._id, request: api.as(session.token) };
  };
  return { alice: await member('alice', ['seller'], ['north']), bob: await member('bob', ['seller'], ['south']), vera: await member('vera', ['reader'], ['north']) };
}

export async function create(request: RequestFn, entity: string, data: Record<string, unknown>): Promise<Rec> {
  return ok<Rec>(request('POST', `/api/v1/data/${entity}`, data));
}

/** The stored document, as the database holds it. */
export async function stored(api: TestApi, entity: string, id: string): Promise<Record<string, unknown> | null> {
  return api.database.db.collection(entity).findOne({ _id: new ObjectId(id) });
}

/** Pretends the record entered its stage `days` ago (dwell times are measured from it). */
export async function backdateStage(api: TestApi, entity: string, id: string, days: number): Promise<void> {
  await api.database.db.collection(entity).updateOne({ _id: new ObjectId(id) }, { $set: { stageEnteredAt: new Date(Date.now() - days * 86_400_000) } });
}

export async function historyCount(api: TestApi, id: string): Promise<number> {
  return api.database.db.collection('_history').countDocuments({ recordId: new ObjectId(id) });
}
