/**
 * The one place that turns errors into RFC 9457 problem+json responses.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type FieldError } from '../shared/errors.ts';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemTypeUri(code: string): string {
  return `https://relata.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

export function toProblem(error: unknown, context: { instance?: string; requestId?: string }): ProblemDocument {
  if (error instanceof AppError) {
    return {
      ...error.extensions,
      type: problemTypeUri(error.code),
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      instance: context.instance,
      requestId: context.requestId,
      errors: error.errors,
    };
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Raised by Hono middleware (body limit, malformed JSON …): client errors.
    const status = error.status;
    return {
      type: problemTypeUri(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST'),
      title: TITLES[status] ?? 'Error',
      status,
      detail: error.message || TITLES[status] || 'Bad request',
      code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
      instance: context.instance,
      requestId: context.requestId,
      errors: [],
    };
  }
  // Anything else is our fault: never leak the message or the stack.
  return {
    type: problemTypeUri('INTERNAL'),
    title: TITLES[500]!,
    status: 500,
    detail: 'An unexpected error occurred. It has been logged; quote the request id when reporting it.',
    code: 'INTERNAL',
    instance: context.instance,
    requestId: context.requestId,
    errors: [],
  };
}

export function problemResponse(c: Context, error: unknown): Response {
  const problem = toProblem(error, { instance: c.req.path, requestId: c.get('requestId') });
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': c.get('requestId') ?? '' };
  // RFC 9110 §15.5.2: a 401 names the scheme that would work (the session cookie works too).
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="relata"';
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}
