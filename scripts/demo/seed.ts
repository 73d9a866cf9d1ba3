/**
 * Writes a generated demo set through the platform's own operations —
 * validation, computed fields, duplicate keys, history, events (so reminders
 * are scheduled for planned activities) — as the system, on behalf of each
 * record's manager. Idempotent: a marker document records a finished run
 * (then nothing is done) or an interrupted one (then it refuses).
 */
import { ObjectId, type Db } from 'mongodb';
import { SYSTEM_PRINCIPAL, type RequestContext } from '../../core/context.ts';
import { createDocument } from '../../core/metadata/operations/documents.ts';
import type { Platform } from '../../core/platform.ts';
import { createRecord } from '../../core/records/operations/create.ts';
import { DEMO_DIRECTIONS, type DemoSet } from './generate.ts';

export const SEED_COLLECTION = '_demo_seed';
const MARKER = 'crm-demo';
export const DEMO_PASSWORD = 'demo-password-2026';
const SALES_ROLE = {
  name: 'sales',
  label: { en: 'Sales manager', ru: 'Менеджер по продажам' },
  permissions: { organization: ['read', 'create', 'update'], person: ['read', 'create', 'update'], employment: ['read', 'create', 'update', 'delete'], activity: ['read', 'create', 'update', 'delete'] },
  allDirections: false,
};

export type SeedOutcome = { kind: 'seeded'; counts: Record<string, number> } | { kind: 'already-seeded'; at: Date } | { kind: 'refused'; reason: string };

const asUser = (userId: ObjectId | null, requestId: string): RequestContext => ({ principal: { ...SYSTEM_PRINCIPAL, userId }, requestId, locale: 'ru' });

/** Runs `work` over `items` with at most `width` in flight, keeping results in order. */
async function pool<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

async function ensureMetadata(platform: Platform): Promise<void> {
  const ctx = asUser(null, 'seed-demo');
  const { registry } = platform;
  for (const { name, label } of DEMO_DIRECTIONS) {
    if (!registry.snapshot.byKind('direction').has(name)) await createDocument({ ctx, deps: platform.metadata, kind: 'direction', body: { name, label } });
  }
  if (!registry.snapshot.byKind('role').has(SALES_ROLE.name)) await createDocument({ ctx, deps: platform.metadata, kind: 'role', body: SALES_ROLE });
}

async function ensureUsers(platform: Platform, set: DemoSet): Promise<ObjectId[]> {
  const ctx = asUser(null, 'seed-demo');
  const users = platform.records.db.collection('user');
  const ids: ObjectId[] = [];
  for (const user of set.users) {
    const existing = await users.findOne({ email: user.email }, { projection: { _id: 1 } });
    if (existing) {
      ids.push(existing._id);
      continue;
    }
    const created = await createRecord({ ctx, deps: platform.records, entity: 'user', data: { email: user.email, name: user.name, password: DEMO_PASSWORD, roles: [SALES_ROLE.name], directions: [user.direction] } });
    ids.push(new ObjectId(String(created._id)));
  }
  return ids;
}

export async function seedDemo(input: { platform: Platform; set: DemoSet; isForced?: boolean; log?: (line: string) => void }): Promise<SeedOutcome> {
  const { platform, set } = input;
  const log = input.log ?? (() => undefined);
  const db: Db = platform.records.db;
  const markers = db.collection<{ _id: string; state: 'started' | 'done'; at: Date }>(SEED_COLLECTION);
  const marker = await markers.findOne({ _id: MARKER });
  if (marker?.state === 'done') return { kind: 'already-seeded', at: marker.at };
  if (marker) return { kind: 'refused', reason: 'a previous demo seed was interrupted; seed into a fresh database (RELATA_DB_NAME) or drop this one' };
  if (!input.isForced && (await db.collection('organization').countDocuments({}, { limit: 1 })) > 0) {
    return { kind: 'refused', reason: 'the database already holds organizations; the demo set is only added to an empty CRM (use --force to add it anyway)' };
  }
  await markers.insertOne({ _id: MARKER, state: 'started', at: new Date() });

  await ensureMetadata(platform);
  const managers = await ensureUsers(platform, set);
  log(`users: ${managers.length} managers (password ${DEMO_PASSWORD})`);
  const create = (entity: string, owner: number, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    createRecord({ ctx: asUser(managers[owner]!, `seed-demo-${entity}`), deps: platform.records, entity, data: { ...data, ...extra } }).then((record) => String(record._id));

  const organizations = await pool(set.organizations, 8, (o) => create('organization', o.owner, o.data, { owner: managers[o.owner]!.toHexString() }));
  log(`organizations: ${organizations.length}`);
  const persons = await pool(set.persons, 8, (p) => create('person', p.owner, p.data, { owner: managers[p.owner]!.toHexString() }));
  log(`persons: ${persons.length}`);
  const employments = await pool(set.employments, 8, (e) => create('employment', 0, e.data, { person: persons[e.person], organization: organizations[e.organization] }));
  log(`employments: ${employments.length}`);
  const activities = await pool(set.activities, 8, (a, i) => {
    if (i > 0 && i % 1000 === 0) log(`activities: ${i} …`);
    const refs: Record<string, unknown> = { organization: organizations[a.organization], owner: managers[a.owner]!.toHexString(), direction: set.organizations[a.organization]!.data.direction };
    if (a.person !== undefined) refs.person = persons[a.person];
    if (a.participants) refs.participants = a.participants.map((p) => persons[p]);
    return create('activity', a.owner, a.data, refs);
  });
  log(`activities: ${activities.length}`);
  await markers.updateOne({ _id: MARKER }, { $set: { state: 'done', at: new Date() } });
  return { kind: 'seeded', counts: { users: managers.length, organizations: organizations.length, persons: persons.length, employments: employments.length, activities: activities.length } };
}
