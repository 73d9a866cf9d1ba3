/**
 * The authorization matrix: every route the app serves (Hono's live route
 * table, so routes added later are covered without editing this file) is
 * called anonymously, by a user of another business direction with full
 * rights ("intruder"), and by a read-only user of the record's direction
 * ("reader"), aimed at records they must not reach. Each call must answer
 * 401/403/404 as fits, reveal nothing (no value of the hidden records, no
 * count that includes them, the same answer as for an id that does not
 * exist) and change nothing. A route with a path parameter this file cannot
 * fill fails the test until it is classified below.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import { startTestApi, type ApiResponse, type RequestFn, type TestApi } from '../support/api.ts';

type Route = { method: string; path: string };
type Target = { entity: string; id: string; markers: string[]; ownId: string };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Reachable without signing in; everything else under /api/v1 must answer 401. */
const PUBLIC = new Set(['POST /api/v1/auth/login']);
/** Administrators only, whoever asks (reads included). */
const ADMIN_ONLY = [/^GET \/api\/v1\/audit$/, /^GET \/api\/v1\/handover$/, /^GET \/api\/v1\/meta\/(roles|rules)(\/|$)/, /^GET \/api\/v1\/meta\/.*\/revisions$/, /^(POST|PUT|PATCH|DELETE) \/api\/v1\/meta\//];
/** Act only on the caller's own session, tokens, notifications or feed: reveal nothing, change nothing of others. */
const SELF_SCOPED = /^\/api\/v1\/(auth|notifications|calendar)\//;
const TEXT_TYPES = new Set(['text', 'longtext', 'email', 'phone', 'url']);

describe('authorization matrix over every route', () => {
  let api: TestApi;
  let routes: Route[];
  const targets = new Map<string, Target>();
  const visibleToIntruder = new Map<string, number>();
  let alice: { id: string; tokenId: string; token: string };
  let bobId: string;
  let intruder: RequestFn;
  let reader: RequestFn;
  let anonymous: RequestFn;
  const failures: string[] = [];

  before(async () => {
    api = await startTestApi({ appsDir: SHIPPED_APPS_DIR });
    for (const name of ['north', 'south']) assert.equal((await api.request('POST', '/api/v1/meta/directions', { name, label: { en: name } })).status, 201);
    const deal = await api.request('POST', '/api/v1/meta/entities', {
      name: 'probe',
      label: { en: 'Probe' },
      titleField: 'title',
      searchable: ['title'],
      features: { owner: true, direction: true, history: true },
      fields: [{ name: 'title', type: 'text', label: { en: 'Title' }, required: true }],
    });
    assert.equal(deal.status, 201, JSON.stringify(deal.body));
    const all = ['read', 'create', 'update', 'delete', 'import', 'export', 'transition'];
    await api.request('POST', '/api/v1/meta/roles', { name: 'member', label: { en: 'Member' }, permissions: { '*': all } });
    await api.request('POST', '/api/v1/meta/roles', { name: 'reader', label: { en: 'Reader' }, permissions: { '*': ['read'] } });
    const users: Record<string, { id: string; token: string }> = {};
    for (const [name, role, direction] of [['alice', 'member', 'north'], ['bob', 'member', 'south'], ['rita', 'reader', 'north']]) {
      const created = await api.request<{ _id: string }>('POST', '/api/v1/data/user', { email: `${name}@example.com`, name, password: `${name} password 1`, roles: [role], directions: [direction] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      users[name!] = { id: created.body._id, token: (await api.login(`${name}@example.com`, `${name} password 1`)).token };
    }
    const aliceToken = await api.as(users.alice!.token)<{ _id: string; token: string }>('POST', '/api/v1/auth/tokens', { name: 'alice-etl', scopes: ['*'] });
    alice = { id: users.alice!.id, tokenId: aliceToken.body._id, token: aliceToken.body.token };
    intruder = api.as(users.bob!.token);
    reader = api.as(users.rita!.token);
    anonymous = (method, path, body, headers = {}) => api.request(method, path, body, { ...headers, authorization: '' });

    // A hidden record in every partitioned entity: north, owned by alice, every text field a unique marker.
    const aliceRequest = api.as(users.alice!.token);
    const created = await aliceRequest<{ _id: string }>('POST', '/api/v1/data/probe', { title: 'MARK-probe-title' });
    assert.equal(created.status, 201);
    await aliceRequest('PATCH', `/api/v1/data/probe/${created.body._id}`, { title: 'MARK-probe-title-2' });
    bobId = users.bob!.id;
    const southDeal = await intruder<{ _id: string }>('POST', '/api/v1/data/probe', { title: 'Southern probe' });
    targets.set('probe', { entity: 'probe', id: created.body._id, markers: ['MARK-probe-title'], ownId: southDeal.body._id });
    // The same in every other partitioned entity (stored directly: their required fields do not matter here),
    // with a record of the intruder's own next to it.
    for (const entity of api.platform.registry.snapshot.entities.values()) {
      if (!entity.features?.direction || targets.has(entity.name)) continue;
      const markers: string[] = [];
      const stored = (owner: string, direction: string, mark: boolean) => {
        const doc: Record<string, unknown> = { _id: new ObjectId(), version: 1, createdAt: new Date(), updatedAt: new Date(), createdBy: new ObjectId(owner), updatedBy: new ObjectId(owner), owner: new ObjectId(owner), direction };
        for (const field of entity.fields) if (TEXT_TYPES.has(field.type)) doc[field.name] = mark ? `MARK-${entity.name}-${field.name}` : `own ${field.name}`;
        if (mark) markers.push(...entity.fields.filter((field) => TEXT_TYPES.has(field.type)).map((field) => `MARK-${entity.name}-${field.name}`));
        return doc;
      };
      const hidden = stored(alice.id, 'north', true);
      const own = stored(bobId, 'south', false);
      await api.database.db.collection(entity.name).insertMany([hidden, own]);
      targets.set(entity.name, { entity: entity.name, id: String(hidden._id), markers, ownId: String(own._id) });
    }
    for (const entity of targets.keys()) visibleToIntruder.set(entity, await api.database.db.collection(entity).countDocuments({ direction: 'south' }));

    const seen = new Set<string>();
    routes = [];
    for (const route of api.platform.app.routes) {
      const key = `${route.method} ${route.path}`;
      if (route.method === 'ALL' || !route.path.startsWith('/api/') || seen.has(key)) continue;
      seen.add(key);
      routes.push({ method: route.method, path: route.path });
    }
    // Signing out ends the session the later calls use: last.
    routes.sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
  });
  after(async () => api.close());

  /** Everything of others: the hidden records and their history, users, credentials, metadata, handovers (`all`: every record too). */
  async function fingerprint(all = false): Promise<string> {
    const hash = createHash('sha256');
    const db = api.database.db;
    for (const name of ['user', '_meta', '_credentials', '_handovers']) hash.update(JSON.stringify(await db.collection(name).find({}).sort({ _id: 1 }).toArray()));
    for (const target of targets.values()) {
      const filter = all ? {} : { _id: new ObjectId(target.id) };
      hash.update(JSON.stringify(await db.collection(target.entity).find(filter).sort({ _id: 1 }).toArray()));
      hash.update(JSON.stringify(await db.collection('_history').find(all ? { entity: target.entity } : { recordId: new ObjectId(target.id) }).sort({ _id: 1 }).toArray()));
    }
    return hash.digest('hex');
  }

  /** Fills the path parameters for one target entity; undefined names a parameter nobody classified. */
  function fill(route: Route, target: Target, idOverride?: string): { path: string; unknown: string[] } {
    const unknown: string[] = [];
    const path = route.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, (_, name: string) => {
      if (name === 'entity') return target.entity;
      if (name === 'id') return idOverride ?? (route.path.startsWith('/api/v1/data/') || route.path.startsWith('/api/v1/summary/') ? target.id : alice.tokenId);
      if (name === 'name') return route.path.includes('/directions/') ? 'north' : route.path.includes('/roles/') ? 'member' : 'nothing';
      if (name === 'field') return 'title';
      unknown.push(name);
      return 'x';
    });
    return { path, unknown };
  }

  function bodyFor(route: Route, target: Target): unknown {
    return bodiesFor(route, target)[0];
  }

  /** Request bodies aimed at the hidden record: empty, naming it, and a valid-looking one from metadata. */
  function bodiesFor(route: Route, target: Target): unknown[] {
    if (!UNSAFE.has(route.method) || route.method === 'DELETE') return [undefined];
    if (route.path.endsWith('/bulk')) return [{ operations: [{ op: 'update', id: target.id, data: {} }, { op: 'delete', id: target.id }] }];
    if (route.path === '/api/v1/handover') return [{ from: alice.id, to: bobId }];
    if (route.path === '/api/v1/data/:entity') return [{ direction: 'north' }];
    const bodies: unknown[] = [{}, { from: target.id }];
    const timeline = api.platform.registry.entity(target.entity)?.timeline;
    if (timeline?.statusField && timeline.doneStatuses?.[0]) bodies.push({ [timeline.statusField]: timeline.doneStatuses[0] });
    return bodies;
  }

  function leaks(response: ApiResponse<unknown>): string[] {
    const text = JSON.stringify(response.body ?? '');
    return [...targets.values()].flatMap((target) => target.markers.filter((marker) => text.includes(marker)));
  }

  const isRecordScoped = (route: Route) => /^\/api\/v1\/(data|summary)\/[^/]+\/:id(\/|$)/.test(route.path);
  const isAdminOnly = (route: Route) => ADMIN_ONLY.some((pattern) => pattern.test(`${route.method} ${route.path}`));

  it('covers a route table that includes the records, metadata, auth, audit and handover routes', () => {
    const keys = new Set(routes.map((route) => `${route.method} ${route.path}`));
    for (const key of ['GET /api/v1/data/:entity', 'PATCH /api/v1/data/:entity/:id', 'GET /api/v1/data/:entity/:id/history', 'POST /api/v1/data/:entity/bulk', 'POST /api/v1/meta/roles', 'POST /api/v1/auth/tokens', 'GET /api/v1/audit', 'POST /api/v1/handover']) {
      assert.ok(keys.has(key), key);
    }
    assert.ok(targets.size >= 2, `hidden records in ${[...targets.keys()].join(', ')}`);
  });

  it('every route answers 401 to an anonymous caller (except sign-in)', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      if (PUBLIC.has(`${route.method} ${route.path}`)) continue;
      const { path } = fill(route, targets.get('probe')!);
      const response = await anonymous(route.method, path, bodyFor(route, targets.get('probe')!));
      if (response.status !== 401) wrong.push(`${route.method} ${path} → ${response.status}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('a user of another direction reaches no hidden record on any route: 403/404, nothing revealed or changed', async () => {
    const unclassified = new Set<string>();
    const code = (r: ApiResponse<unknown>) => `${r.status} ${(r.body as { code?: string } | undefined)?.code ?? ''}`;
    const atStart = await fingerprint();
    for (const route of routes) {
      // Reads are checked once at the end; writes one by one, to name the culprit.
      const before = UNSAFE.has(route.method) ? await fingerprint() : '';
      const entityTargets = route.path.includes(':entity') ? [...targets.values()] : [targets.get(/^\/api\/v1\/data\/([a-z][A-Za-z0-9]*)\//.exec(route.path)?.[1] ?? '') ?? targets.get('probe')!];
      for (const target of entityTargets) {
        const { path, unknown } = fill(route, target);
        if (unknown.length > 0) {
          unclassified.add(`${route.method} ${route.path} (:${unknown.join(', :')})`);
          continue;
        }
        // Aimed at the hidden record by path, and (record routes) at the intruder's own record with bodies naming the hidden one.
        const paths = isRecordScoped(route) ? [path, fill(route, target, target.ownId).path] : [path];
        for (const [index, aimed] of paths.entries()) {
          for (const body of bodiesFor(route, target)) {
            const label = `${route.method} ${aimed} ${JSON.stringify(body) ?? ''}`;
            const response = await intruder(route.method, aimed, body);
            if (response.status >= 500) failures.push(`${label}: ${response.status}`);
            const leaked = leaks(response);
            if (leaked.length > 0) failures.push(`${label}: reveals ${leaked.join(', ')}`);
            if (index > 0) continue;
            if (isAdminOnly(route) && response.status !== 403) failures.push(`${label}: administrators only, answered ${response.status}`);
            if (route.path === '/api/v1/handover' && route.method === 'POST' && response.status !== 403) failures.push(`${label}: handover by a stranger answered ${response.status}`);
            if (isRecordScoped(route)) {
              // Refused, and exactly as for an id that does not exist (a 400 for a body checked first reveals nothing either).
              const absent = new ObjectId().toHexString();
              const sameBody = body === undefined ? undefined : JSON.parse(JSON.stringify(body).replaceAll(target.id, absent));
              const unknownAnswer = await intruder(route.method, fill(route, target, absent).path, sameBody);
              if (![403, 404, 400].includes(response.status)) failures.push(`${label}: ${response.status} for a record of another direction`);
              if (code(response) !== code(unknownAnswer)) failures.push(`${label}: answers ${code(response)} but ${code(unknownAnswer)} for an id that does not exist`);
            }
            if (route.method === 'GET' && response.status === 200 && route.path.includes(':entity') && !route.path.includes(':id')) {
              const total = (response.body as { total?: unknown }).total;
              if (typeof total === 'number' && total !== visibleToIntruder.get(target.entity)) failures.push(`${label}: total ${total} counts records of another direction`);
            }
            if (route.path.endsWith('/bulk') && response.status === 200) {
              const statuses = ((response.body as { results?: Array<{ status: number }> }).results ?? []).map((result) => result.status);
              if (statuses.some((status) => status !== 404)) failures.push(`${label}: bulk items answered ${statuses.join(',')}`);
            }
          }
        }
      }
      if (before && (await fingerprint()) !== before) failures.push(`${route.method} ${route.path}: changed a hidden record, a user, credentials or metadata`);
    }
    if ((await fingerprint()) !== atStart) failures.push('something changed a hidden record, a user, credentials or metadata');
    assert.deepEqual([...unclassified], [], 'classify these route parameters in fill()');
    assert.deepEqual(failures, []);
    assert.equal((await api.as(alice.token)('GET', '/api/v1/auth/me')).status, 200, "alice's API token survived");
  });

  it('a read-only user of the same direction changes nothing through any route', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((candidate) => UNSAFE.has(candidate.method) && !SELF_SCOPED.test(candidate.path))) {
      const before = await fingerprint(true);
      for (const target of route.path.includes(':entity') ? targets.values() : [targets.get('probe')!]) {
        const { path, unknown } = fill(route, target);
        if (unknown.length > 0) continue;
        for (const body of bodiesFor(route, target)) {
          const response = await reader(route.method, path, body);
          if (response.status >= 500) wrong.push(`${route.method} ${path}: ${response.status}`);
          const isRecordWrite = isRecordScoped(route) || route.path === '/api/v1/data/:entity';
          if (isRecordWrite && ![400, 403, 404].includes(response.status)) wrong.push(`${route.method} ${path} ${JSON.stringify(body)}: ${response.status}, expected a refusal`);
          if (['PATCH /api/v1/data/:entity/:id', 'DELETE /api/v1/data/:entity/:id'].includes(`${route.method} ${route.path}`) && response.status !== 403) {
            wrong.push(`${route.method} ${path}: ${response.status}, expected 403 (the reader sees the record)`);
          }
        }
      }
      if ((await fingerprint(true)) !== before) wrong.push(`${route.method} ${route.path}: changed data`);
    }
    assert.deepEqual(wrong, []);
  });

  it('every route is described in the OpenAPI document', async () => {
    const document = await api.request<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/v1/openapi.json');
    assert.equal(document.status, 200);
    const { isDescribedBy } = await import('../../core/openapi/route-table.ts');
    const missing = routes.filter((route) => !Object.entries(document.body.paths).some(([path, item]) => item[route.method.toLowerCase()] !== undefined && isDescribedBy(route.path, path)));
    assert.deepEqual(missing, []);
  });
});
