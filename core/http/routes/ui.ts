/**
 * Serves the built single-page UI (`ui/dist`) at `/` for requests no API route matched:
 * - files under the build folder with their content type; Vite's hashed
 *   `/assets/*` are immutable (cached for a year), index.html is revalidated;
 * - a browser navigation (GET accepting text/html) to any other non-API
 *   path gets index.html, so client-side routes survive a reload;
 * - anything else falls through to the 404 problem, and API paths are never
 *   answered here.
 * Without a build, `/` answers a 503 problem saying how to build it.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import { AppError } from '../../shared/errors.ts';
import type { AppEnv } from '../env.ts';
import { problemResponse } from '../problem.ts';

export const UI_DIST_DIR = fileURLToPath(new URL('../../../ui/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Paths owned by the API and operations endpoints: never the UI's. */
const RESERVED = /^\/(api|health|metrics)(\/|$)/;

async function readIfFile(path: string): Promise<Buffer | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
    return await readFile(path);
  } catch {
    return null;
  }
}

function respond(c: Context<AppEnv>, body: Buffer, type: string, cacheControl: string): Response {
  c.header('Content-Type', type);
  c.header('Cache-Control', cacheControl);
  c.header('X-Content-Type-Options', 'nosniff');
  return c.req.method === 'HEAD' ? c.body(null, 200) : c.body(new Uint8Array(body), 200);
}

/**
 * Answers a GET or HEAD that no route matched from the UI build, or null
 * (the caller then answers 404). Called by the app's not-found handler, so
 * no route pattern of the API is shadowed and route metrics stay exact.
 */
export function uiFallback(options: { distDir?: string } = {}): (c: Context<AppEnv>) => Promise<Response | null> {
  const distDir = normalize(options.distDir ?? UI_DIST_DIR);
  const inside = distDir.endsWith(sep) ? distDir : distDir + sep;
  return async (c) => {
    const path = c.req.path;
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || RESERVED.test(path)) return null;
    // A request path maps into the build folder only; `..` can never leave it.
    const target = normalize(join(distDir, path));
    if (path !== '/' && target.startsWith(inside)) {
      const file = await readIfFile(target);
      if (file) {
        const isHashed = path.startsWith('/assets/');
        return respond(c, file, CONTENT_TYPES[extname(target)] ?? 'application/octet-stream', isHashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
    }
    const isNavigation = path === '/' || (extname(path) === '' && (c.req.header('accept') ?? '').includes('text/html'));
    if (!isNavigation) return null;
    const index = await readIfFile(join(distDir, 'index.html'));
    if (!index) {
      return problemResponse(c, new AppError('SERVICE_UNAVAILABLE', 'The web UI is not built: run `npm run build:ui` (npm start does it when ui/dist is missing or stale).'));
    }
    return respond(c, index, CONTENT_TYPES['.html']!, 'no-cache');
  };
}
