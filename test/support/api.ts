/**
 * Test helper: the whole platform (metadata, records, routes) over a fresh
 * database on the embedded engine, and a small JSON client for its API.
 * The bootstrap administrator is created and signed in: `request` sends its
 * Bearer token unless the call names its own `authorization` (an empty one
 * sends none) or a `cookie`.
 */
import { connectDatabase, type Database } from '../../core/db/connection.ts';
import { createMetrics } from '../../core/observability/metrics.ts';
import { createPlatform, type Platform, type PlatformAuthOptions } from '../../core/platform.ts';
import { startTestEngine, makeTempDir, type TestEngine } from './engine.ts';
import { createCapturingLogger } from './platform.ts';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export type RequestFn = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiResponse<T>>;

export interface TestApi {
  engine: TestEngine;
  database: Database;
  platform: Platform;
  /** as the bootstrap administrator (see above) */
  request: RequestFn;
  /** the bootstrap administrator's session token and user id */
  token: string;
  adminId: string;
  /** signs in; the token is usable as Bearer, the cookies and CSRF token as a browser would hold them */
  login(email: string, password: string): Promise<{ token: string; csrfToken: string; cookie: string; userId: string }>;
  /** a client sending `Authorization: Bearer <token>` */
  as(token: string): RequestFn;
  close(): Promise<void>;
}

export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-password-1' } as const;
/** scrypt at 2^12: fast tests; production uses 2^17 (core/auth/passwords.ts). */
export const TEST_PASSWORD_COST = { logN: 12, r: 8, p: 1 } as const;

export function uniqueDbName(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export async function startTestApi(options: { engine?: TestEngine; dbName?: string; appsDir?: string; metadataPollMs?: number; auth?: PlatformAuthOptions } = {}): Promise<TestApi> {
  const engine = options.engine ?? (await startTestEngine());
  const { logger } = createCapturingLogger();
  const metrics = createMetrics();
  const database = await connectDatabase({ uri: engine.uri, dbName: options.dbName ?? uniqueDbName(), metrics });
  // An empty apps folder by default: tests define the entities they need.
  const platform = await createPlatform({
    database,
    logger,
    metrics,
    appsDir: options.appsDir ?? makeTempDir('relata-apps-'),
    metadataPollMs: options.metadataPollMs,
    auth: { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password, passwordCost: TEST_PASSWORD_COST, ...options.auth },
  });
  const send = (bearer: string | undefined): RequestFn => async <T,>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const names = Object.keys(headers).map((name) => name.toLowerCase());
    const sent: Record<string, string> = { ...headers };
    if (bearer && !names.includes('authorization') && !names.includes('cookie')) sent.authorization = `Bearer ${bearer}`;
    for (const [name, value] of Object.entries(sent)) if (name.toLowerCase() === 'authorization' && value === '') delete sent[name];
    const init: RequestInit = { method, headers: sent };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await platform.app.request(path, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // leave as text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };
  const login = async (email: string, password: string) => {
    const response = await send(undefined)<{ token: string; csrfToken: string; user: { _id: string } }>('POST', '/api/v1/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`sign-in of ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
    const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    return { token: response.body.token, csrfToken: response.body.csrfToken, cookie, userId: response.body.user._id };
  };
  const admin = await login(TEST_ADMIN.email, TEST_ADMIN.password);
  return {
    engine,
    database,
    platform,
    request: send(admin.token),
    token: admin.token,
    adminId: admin.userId,
    login,
    as: (token: string) => send(token),
    async close() {
      await platform.close();
      await database.close();
      if (!options.engine) await engine.dispose();
    },
  };
}
