/**
 * Request logging and metrics middleware: one log line and one metrics sample
 * per request, labelled by the matched route pattern (never the raw path, to
 * keep label cardinality bounded).
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AppEnv } from './env.ts';

export function observeRequests(deps: { logger: Logger; metrics: Metrics }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const log = deps.logger.child({ requestId: c.get('requestId') });
    c.set('logger', log);
    await next();
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    const matched = routePath(c, -1);
    const route = status === 404 && (matched === '/*' || matched === '*') ? 'unmatched' : matched;
    const labels = { method: c.req.method, route, status: String(status) };
    deps.metrics.httpRequests.inc(labels);
    deps.metrics.httpDuration.observe(labels, seconds);
    log.info({ method: c.req.method, path: c.req.path, status, ms: Math.round(seconds * 1000) }, 'request');
  };
}
