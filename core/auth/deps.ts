import type { Db } from 'mongodb';
import type { AuditLog } from '../audit/audit-log.ts';
import type { MetadataRegistry } from '../metadata/registry.ts';
import type { Logger } from '../observability/logger.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { DEFAULT_PASSWORD_COST, type PasswordCost } from './passwords.ts';
import { DEFAULT_SESSION_OPTIONS, type SessionOptions } from './sessions.ts';
import { ACCOUNT_THROTTLE, IP_THROTTLE, type ThrottlePolicy } from './throttle-policy.ts';

export interface AuthOptions {
  /** believe X-Forwarded-For / X-Forwarded-Proto (RELATA_TRUST_PROXY) */
  trustProxy: boolean;
  passwordCost: PasswordCost;
  session: SessionOptions;
  throttle: { account: ThrottlePolicy; ip: ThrottlePolicy };
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  trustProxy: false,
  passwordCost: DEFAULT_PASSWORD_COST,
  session: DEFAULT_SESSION_OPTIONS,
  throttle: { account: ACCOUNT_THROTTLE, ip: IP_THROTTLE },
};

/** What the auth module needs, passed explicitly. */
export interface AuthDeps {
  db: Db;
  registry: MetadataRegistry;
  audit: AuditLog;
  logger: Logger;
  throttle: LoginThrottle;
  options: AuthOptions;
}
