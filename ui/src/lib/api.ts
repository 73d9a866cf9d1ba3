/**
 * The one HTTP client of the UI: JSON in and out, the session cookie sent by
 * the browser, the CSRF token (readable `relata_csrf` cookie) echoed in
 * `X-CSRF-Token` on unsafe methods, the UI language as Accept-Language, and
 * problem+json answers raised as ApiError with their field errors.
 */
import { locale } from './i18n.ts';

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.status = problem.status;
    this.problem = problem;
  }
  get errors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

export interface ApiResponse<T> {
  body: T;
  etag: string | null;
  status: number;
}

/** Called on any 401: the session ended, the shell shows the sign-in page. */
let onUnauthenticated: () => void = () => undefined;
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)relata_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

export async function request<T>(method: string, path: string, options: { body?: unknown; ifMatch?: string | number | null } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': locale.value };
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = csrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined && options.ifMatch !== null) headers['if-match'] = typeof options.ifMatch === 'number' ? `"${options.ifMatch}"` : options.ifMatch;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { detail: text };
    }
  }
  if (!response.ok) {
    if (response.status === 401 && path !== '/auth/login') onUnauthenticated();
    throw new ApiError({ status: response.status, ...((parsed as object | undefined) ?? {}) } as Problem);
  }
  return { body: parsed as T, etag: response.headers.get('etag'), status: response.status };
}

export async function get<T>(path: string): Promise<T> {
  return (await request<T>('GET', path)).body;
}

export function post<T>(path: string, body?: unknown, ifMatch?: string | number | null): Promise<ApiResponse<T>> {
  return request<T>('POST', path, { body: body ?? {}, ifMatch });
}

/** A query string from defined values; objects become URL-encoded JSON. */
export function qs(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
