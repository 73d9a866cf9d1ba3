/**
 * Rule administration beyond CRUD (`/api/v1/meta/rules/…`, administrators):
 * the dry run, and what a rule did (its runs, newest first). Chains cut at
 * the depth limit are listed under `/api/v1/meta/rule-reports`.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { readJsonBody } from '../http/json-body.ts';
import { requestContext } from '../http/request-context.ts';
import type { RuleDefinition } from '../metadata/types.ts';
import { badRequest, forbidden, notFound } from '../shared/errors.ts';
import { deepJson } from './json.ts';
import type { RuleRuntime } from './runtime.ts';
import { simulateRule } from './simulate.ts';
import { RULE_REPORTS_COLLECTION, RULE_RUNS_COLLECTION, type RuleReport, type RuleRun } from './store.ts';

function assertAdmin(c: Context<AppEnv>): void {
  if (!requestContext(c).principal.isAdmin) throw forbidden('Only administrators may manage rules');
}

function limitOf(c: Context<AppEnv>): number {
  const raw = c.req.query('limit');
  if (raw === undefined) return 50;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 500) throw badRequest('limit must be an integer between 1 and 500', [{ path: '/limit', message: 'must be an integer between 1 and 500' }]);
  return Number(raw);
}

export function ruleRoutes(runtime: RuleRuntime): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post('/rules/:name/simulate', async (c) => {
    assertAdmin(c);
    const hasBody = (c.req.header('content-length') ?? '0') !== '0' || c.req.header('content-type') !== undefined;
    return c.json(deepJson(await simulateRule({ runtime, name: c.req.param('name'), body: hasBody ? await readJsonBody(c) : undefined })) as Record<string, unknown>);
  });
  routes.get('/rules/:name/runs', async (c) => {
    assertAdmin(c);
    const name = c.req.param('name');
    if (!runtime.records.registry.snapshot.byKind<RuleDefinition>('rule').has(name)) throw notFound(`Unknown rule "${name}"`);
    const runs = await runtime.records.db.collection<RuleRun>(RULE_RUNS_COLLECTION).find({ rule: name }).sort({ at: -1, _id: -1 }).limit(limitOf(c)).toArray();
    return c.json({ items: runs.map((run) => deepJson({ ...run, _id: undefined })) });
  });
  routes.get('/rule-reports', async (c) => {
    assertAdmin(c);
    const reports = await runtime.records.db.collection<RuleReport>(RULE_REPORTS_COLLECTION).find({}, { projection: { _id: 0 } }).sort({ at: -1 }).limit(limitOf(c)).toArray();
    return c.json({ items: reports.map(deepJson) });
  });
  return routes;
}
