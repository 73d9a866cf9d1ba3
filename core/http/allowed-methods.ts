/**
 * The methods the route table serves for a path, so that a request with another method
 * answers 405 with `Allow` (RFC 9110 §15.5.6) instead of 404: the resource exists, the
 * method does not. Built once from the application's routes, on first use (after every
 * module has mounted its routes).
 */
import type { Hono } from 'hono';
import type { AppEnv } from './env.ts';

interface RoutePattern {
  method: string;
  pattern: RegExp;
}

const escape = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Hono path → regular expression: `:name` and `:name{re}` match one segment, `*` the rest. */
function toRegExp(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return escape(segment);
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

export function allowedMethodsOf(app: Hono<AppEnv>): (path: string) => string[] {
  let table: RoutePattern[] | undefined;
  return (path) => {
    // Middleware is registered as method ALL; it serves no resource of its own.
    table ??= app.routes.filter((route) => route.method !== 'ALL').map((route) => ({ method: route.method, pattern: toRegExp(route.path) }));
    const methods = new Set(table.filter((route) => route.pattern.test(path)).map((route) => route.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
