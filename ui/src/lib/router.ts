/**
 * A small history-API router: the current path and query as a signal, and
 * `navigate`. Links with an href inside the app are intercepted by `Link`.
 */
import { signal } from '@preact/signals';

export interface Route {
  path: string;
  query: URLSearchParams;
}

function current(): Route {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

export const route = signal<Route>(current());

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  route.value = current();
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  route.value = current();
});

/** Matches `/e/:entity/:id` style patterns; returns the named parts or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const value = got[index]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}
