/**
 * Completes the description from the live route table: every route the app
 * serves that no generated or platform path describes yet gets a minimal
 * entry (path parameters, the common problem answers), so the document
 * never silently misses an endpoint a module adds.
 */
import { type Json, problem } from '../http/openapi-parts.ts';

export interface RouteEntry {
  method: string;
  path: string;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** `/api/v1/data/:entity/:id` → `/api/v1/data/{entity}/{id}` */
export function toTemplate(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
}

/**
 * Whether a route is described by a documented path: segment by segment
 * equal, a template segment matching a route parameter, and the route's
 * `:entity` also matching a concrete entity name (per-entity paths).
 */
export function isDescribedBy(routePath: string, documented: string): boolean {
  const route = toTemplate(routePath).split('/');
  const doc = documented.split('/');
  if (route.length !== doc.length) return false;
  return route.every((segment, i) => {
    const other = doc[i]!;
    if (segment === other) return true;
    const isParam = segment.startsWith('{');
    return isParam && (other.startsWith('{') || segment === '{entity}');
  });
}

export function isApiRoute(route: RouteEntry): boolean {
  return METHODS.has(route.method.toLowerCase()) && (route.path.startsWith('/api/') || route.path === '/health' || route.path === '/metrics');
}

export function addUndescribedRoutes(paths: Record<string, Json>, routes: readonly RouteEntry[]): void {
  for (const route of routes) {
    if (!isApiRoute(route)) continue;
    const method = route.method.toLowerCase();
    const isDescribed = Object.entries(paths).some(([path, item]) => (item as Json)[method] !== undefined && isDescribedBy(route.path, path));
    if (isDescribed) continue;
    const template = toTemplate(route.path);
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
    const tag = template.split('/')[3] ?? 'Other';
    const item = (paths[template] ??= {}) as Json;
    item[method] = {
      operationId: `${method}${template.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ? next.toUpperCase() : ''))}`,
      tags: [tag.charAt(0).toUpperCase() + tag.slice(1)],
      summary: `${route.method} ${template} (described by its module)`,
      ...(names.length > 0 ? { parameters: names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })) } : {}),
      responses: { '200': { description: 'OK' }, '400': problem('Bad input'), '401': problem('Not signed in'), '403': problem('Not allowed'), '404': problem('Unknown, or not visible to the caller') },
    };
  }
}
