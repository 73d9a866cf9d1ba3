/**
 * The Hono application: cross-cutting middleware, the error mapper and the
 * routes each core module contributes.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { Database } from '../db/connection.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { AppError } from '../shared/errors.ts';
import type { AppEnv } from './env.ts';
import { allowedMethodsOf } from './allowed-methods.ts';
import { observeRequests } from './observe.ts';
import { problemResponse } from './problem.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { uiFallback } from './routes/ui.ts';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  database: Database;
  /** route groups contributed by core modules, mounted under their path */
  mounts?: Array<{ path: string; routes: Hono<AppEnv> }>;
  /** middleware run before every route (authentication, audit), in order */
  middleware?: Array<MiddlewareHandler<AppEnv>>;
}

export type RelataApp = Hono<AppEnv>;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Incoming request ids are accepted only when short and plain, to keep logs clean. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export function createApp(deps: AppDeps): RelataApp {
  const app = new Hono<AppEnv>();

  app.use(
    requestId({
      limitLength: 128,
      generator: () => crypto.randomUUID(),
    }),
  );
  app.use(async (c, next) => {
    // hono's request-id accepts any header value within the length limit; be stricter.
    if (!REQUEST_ID_PATTERN.test(c.get('requestId'))) c.set('requestId', crypto.randomUUID());
    await next();
    c.header('X-Request-Id', c.get('requestId'));
  });
  app.use(observeRequests(deps));
  // API.md: JSON answers say their charset. Hono's c.json sends a bare `application/json`.
  app.use(async (c, next) => {
    await next();
    // c.json builds its own Response, so its headers are mutable.
    if (c.res.headers.get('content-type') === 'application/json') c.res.headers.set('content-type', JSON_CONTENT_TYPE);
  });
  for (const handler of deps.middleware ?? []) app.use(handler);

  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  for (const mount of deps.mounts ?? []) app.route(mount.path, mount.routes);

  // Unmatched GETs may be the web UI's files or client-side routes (SPA fallback).
  const serveUi = uiFallback();
  const allowedMethods = allowedMethodsOf(app);
  app.notFound(async (c) => {
    const ui = await serveUi(c);
    if (ui) return ui;
    const allowed = c.req.method === 'OPTIONS' ? [] : allowedMethods(c.req.path);
    if (allowed.length === 0) return problemResponse(c, new AppError('ROUTE_NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`));
    const response = problemResponse(c, new AppError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allowed.join(', ')}`));
    response.headers.set('allow', allowed.join(', '));
    return response;
  });
  app.onError((error, c) => {
    const response = problemResponse(c, error);
    if (response.status >= 500) {
      (c.get('logger') ?? deps.logger).error({ err: error, path: c.req.path }, 'request failed');
    }
    return response;
  });
  return app;
}
