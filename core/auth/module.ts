/**
 * The auth module assembled: its dependencies, the authentication
 * middleware, the `/api/v1/auth` routes and the write hook of `user`.
 */
import type { Db } from 'mongodb';
import type { MiddlewareHandler } from 'hono';
import type { Hono } from 'hono';
import type { AuditLog } from '../audit/audit-log.ts';
import type { AppEnv } from '../http/env.ts';
import type { MetadataRegistry } from '../metadata/registry.ts';
import type { Logger } from '../observability/logger.ts';
import type { RecordWriteHook } from '../records/hooks.ts';
import { authenticate } from './authenticate.ts';
import { ensureAuthIndexes } from './collections.ts';
import { DEFAULT_AUTH_OPTIONS, type AuthDeps, type AuthOptions } from './deps.ts';
import { LoginThrottle } from './login-throttle.ts';
import { authRoutes } from './routes.ts';
import { dummyHash } from './sign-in.ts';
import { userWriteHook } from './user-hook.ts';

export interface AuthModule {
  deps: AuthDeps;
  middleware: MiddlewareHandler<AppEnv>;
  routes: Hono<AppEnv>;
  userHook: RecordWriteHook;
}

export async function createAuthModule(input: { db: Db; registry: MetadataRegistry; audit: AuditLog; logger: Logger; options?: Partial<AuthOptions> }): Promise<AuthModule> {
  await ensureAuthIndexes(input.db);
  const deps: AuthDeps = {
    db: input.db,
    registry: input.registry,
    audit: input.audit,
    logger: input.logger,
    throttle: new LoginThrottle(input.db),
    options: { ...DEFAULT_AUTH_OPTIONS, ...input.options },
  };
  // Made now, so that the first sign-in with an unknown e-mail takes no longer than any other.
  await dummyHash(deps.options.passwordCost);
  return { deps, middleware: authenticate(deps), routes: authRoutes(deps), userHook: userWriteHook(deps) };
}
