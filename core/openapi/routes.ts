import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { MetadataRegistry } from '../metadata/registry.ts';
import { generateOpenApi } from './generate.ts';
import type { RouteEntry } from './route-table.ts';

/** `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the live API (metadata and route table). */
export function openApiRoutes(deps: { registry: MetadataRegistry; routeTable?: () => readonly RouteEntry[] }): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/openapi.json', (c) => c.json(generateOpenApi(deps.registry.snapshot, deps.routeTable?.() ?? [])));
  return routes;
}
