/**
 * One error factory for the platform. Every error a client can cause carries a
 * stable code and an HTTP status; `core/http/problem.ts` is the one place that
 * turns them into RFC 9457 problem+json.
 */

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'FIELD_INVALID'
  | 'QUERY_INVALID'
  | 'METADATA_INVALID'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RECORD_NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'VERSION_CONFLICT'
  | 'DUPLICATE'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RULE_REFUSED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

export interface FieldError {
  /** JSON Pointer to the offending value, e.g. `/rating` or `/fields/2/type`. */
  path: string;
  message: string;
}

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  FIELD_INVALID: 400,
  QUERY_INVALID: 400,
  METADATA_INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RECORD_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  VERSION_CONFLICT: 409,
  DUPLICATE: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RULE_REFUSED: 422,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[];
  /** Extra members copied into the problem document (e.g. `count`, `candidates`). */
  readonly extensions: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { errors?: FieldError[]; extensions?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.errors = options.errors ?? [];
    this.extensions = options.extensions ?? {};
  }
}

export const badRequest = (message: string, errors: FieldError[] = []) => new AppError('BAD_REQUEST', message, { errors });
export const fieldInvalid = (errors: FieldError[], message = 'The request body is invalid') => new AppError('FIELD_INVALID', message, { errors });
export const queryInvalid = (message: string, errors: FieldError[] = []) => new AppError('QUERY_INVALID', message, { errors });
export const metadataInvalid = (errors: FieldError[], message = 'The metadata document is invalid') => new AppError('METADATA_INVALID', message, { errors });
export const notFound = (message = 'Not found') => new AppError('NOT_FOUND', message);
export const recordNotFound = (entity: string, id: string) => new AppError('RECORD_NOT_FOUND', `No ${entity} record with id ${id}`);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message);
export const unauthenticated = (message = 'Sign-in required') => new AppError('UNAUTHENTICATED', message);
export const versionConflict = (message = 'The record was changed by someone else; reload it and try again', extensions: Record<string, unknown> = {}) =>
  new AppError('VERSION_CONFLICT', message, { extensions });
export const duplicate = (message: string, extensions: Record<string, unknown> = {}) => new AppError('DUPLICATE', message, { extensions });
export const ruleRefused = (message: string, errors: FieldError[] = []) => new AppError('RULE_REFUSED', message, { errors });

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Exhaustiveness guard for `switch` over a union of kinds. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled kind: ${JSON.stringify(value)}`);
}
