import { Hono } from 'hono';
import type { Metrics } from '../../observability/metrics.ts';
import type { AppEnv } from '../env.ts';

/** `GET /metrics`: Prometheus text exposition format. */
export function metricsRoutes(deps: { metrics: Metrics }): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/metrics', async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
  return routes;
}
