/**
 * Test helpers for the CRM tests: the platform with the shipped CRM
 * metadata, and short ways to create its records through the generic API.
 */
import assert from 'node:assert/strict';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

export type Rec = Record<string, unknown> & { _id: string; version: number };

export function startCrmApi(): Promise<TestApi> {
  return startTestApi({ appsDir: SHIPPED_APPS_DIR });
}

export async function create(api: TestApi, entity: string, data: Record<string, unknown>): Promise<Rec> {
  const response = await api.request<Rec>('POST', `/api/v1/data/${entity}`, data);
  assert.equal(response.status, 201, `${entity}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function get<T = Record<string, unknown>>(api: TestApi, path: string): Promise<T> {
  const response = await api.request<T>('GET', path);
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** An ISO date-time `days` from now (negative: in the past), at a whole minute. */
export function daysFromNow(days: number, hour = 10): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString();
}
