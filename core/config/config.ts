/**
 * Configuration is read once from the environment into one typed object.
 * A bad value stops start-up with a one-line message naming the variable.
 */
import { isAbsolute, resolve } from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** unset: the embedded engine is started */
  mongodbUri: string | undefined;
  dbName: string;
  dataDir: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  logLevel: LogLevel;
  smtpUrl: string | undefined;
  /** run Agenda workers inside the API process */
  runWorkers: boolean;
  /** seconds to wait for in-flight requests on shutdown */
  shutdownGraceSeconds: number;
  /** trust X-Forwarded-* headers (behind a reverse proxy) */
  trustProxy: boolean;
}

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readString(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = readString(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readMongoUri(env: Env): string | undefined {
  const raw = readString(env, 'MONGODB_URI');
  if (raw === undefined) return undefined;
  if (!/^mongodb(\+srv)?:\/\/[^\s]+$/.test(raw)) {
    // Never echo the value: it may hold a password.
    throw new ConfigError('MONGODB_URI', 'must be a mongodb:// or mongodb+srv:// connection string');
  }
  return raw;
}

function readEmail(env: Env, name: string): string | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) throw new ConfigError(name, `must be an e-mail address, got "${raw}"`);
  return raw.toLowerCase();
}

function readSmtpUrl(env: Env): string | undefined {
  const raw = readString(env, 'SMTP_URL');
  if (raw === undefined) return undefined;
  if (!/^smtps?:\/\/[^\s]+$/.test(raw)) throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL');
  return raw;
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const logLevel = (readString(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const dataDir = readString(env, 'RELATA_DATA_DIR') ?? './data';
  const adminPassword = readString(env, 'RELATA_ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 8) {
    throw new ConfigError('RELATA_ADMIN_PASSWORD', 'must be at least 8 characters long');
  }
  const dbName = readString(env, 'RELATA_DB_NAME') ?? 'relata';
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(dbName)) throw new ConfigError('RELATA_DB_NAME', `must be 1-63 letters, digits, _ or -, got "${dbName}"`);
  return {
    port: readInteger(env, 'PORT', 3000, 0, 65535),
    host: readString(env, 'HOST') ?? '0.0.0.0',
    mongodbUri: readMongoUri(env),
    dbName,
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    adminEmail: readEmail(env, 'RELATA_ADMIN_EMAIL'),
    adminPassword,
    logLevel: logLevel as LogLevel,
    smtpUrl: readSmtpUrl(env),
    runWorkers: readBoolean(env, 'RELATA_WORKERS', true),
    shutdownGraceSeconds: readInteger(env, 'RELATA_SHUTDOWN_GRACE_SECONDS', 10, 0, 600),
    trustProxy: readBoolean(env, 'RELATA_TRUST_PROXY', false),
  };
}
