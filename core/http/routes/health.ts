import { Hono } from 'hono';
import type { Database } from '../../db/connection.ts';
import type { AppEnv } from '../env.ts';

/** `GET /health`: 200 once the database answers a ping, 503 otherwise. */
export function healthRoutes(deps: { database: Database }): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/health', async (c) => {
    c.header('Cache-Control', 'no-store');
    const isDatabaseUp = await deps.database.ping(2000);
    if (isDatabaseUp) return c.json({ status: 'ok' }, 200);
    return c.json({ status: 'unavailable', checks: { database: 'down' } }, 503);
  });
  return routes;
}
