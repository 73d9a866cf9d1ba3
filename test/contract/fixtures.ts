/**
 * Shared pieces of the contract tests (test/contract/*.test.ts): each file
 * proves one section of ../shared/API.md through HTTP only.
 */
import assert from 'node:assert/strict';
import type { ApiResponse, RequestFn } from '../support/api.ts';

export type Rec = Record<string, unknown> & { _id: string; version: number };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: Array<{ path: string; message: string }>;
  [extension: string]: unknown;
}

export const label = (en: string, ru?: string) => (ru ? { en, ru } : { en });

/** API.md's example entity: owner, direction and history features, a bounded rating, an object-valued field. */
export const GADGET = {
  name: 'gadget',
  label: { en: 'Gadget', ru: 'Гаджет' },
  titleField: 'title',
  searchable: ['title'],
  features: { owner: true, direction: true, history: true },
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'rating', type: 'number', label: { en: 'Rating', ru: 'Рейтинг' }, required: false, min: 1, max: 5 },
    { name: 'city', type: 'text', label: label('City') },
    { name: 'tags', type: 'multienum', label: label('Tags'), options: [{ value: 'red', label: label('Red') }, { value: 'blue', label: label('Blue') }] },
    { name: 'specs', type: 'json', label: label('Specs') },
    { name: 'maker', type: 'reference', entity: 'maker', label: label('Maker') },
  ],
};

export const MAKER = { name: 'maker', label: label('Maker'), titleField: 'name', fields: [{ name: 'name', type: 'text', label: label('Name'), required: true }] };

/** Answers `expected` with a JSON body in `application/json; charset=utf-8`. */
export async function ok<T = Rec>(pending: Promise<ApiResponse<unknown>>, expected = 200): Promise<T> {
  const response = await pending;
  assert.equal(response.status, expected, JSON.stringify(response.body));
  if (expected !== 204) assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
  return response.body as T;
}

/** An RFC 9457 problem of API.md's shape with this status. */
export function assertProblem(response: ApiResponse<unknown>, status: number): Problem {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json\b/);
  const body = response.body as Problem;
  for (const key of ['type', 'title', 'detail'] as const) assert.equal(typeof body[key], 'string', `${key} is a string`);
  assert.equal(body.status, status);
  assert.ok(Array.isArray(body.errors), 'errors is an array');
  for (const error of body.errors) {
    assert.equal(typeof error.path, 'string');
    assert.equal(typeof error.message, 'string');
  }
  return body;
}

export async function createGadgetEntities(request: RequestFn): Promise<void> {
  await ok(request('POST', '/api/v1/meta/entities', MAKER), 201);
  await ok(request('POST', '/api/v1/meta/entities', GADGET), 201);
}
