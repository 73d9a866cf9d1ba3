/**
 * Test helper: employees who get reminders. Users are created through the
 * records API as the administrator (reminder lead time and time zone are
 * fields of the `user` entity) and signed in.
 */
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import type { RequestFn, TestApi } from '../../support/api.ts';

export interface Staff {
  id: string;
  objectId: ObjectId;
  email: string;
  token: string;
  request: RequestFn;
}

const STAFF_ROLE = {
  name: 'staff',
  label: { en: 'Staff', ru: 'Сотрудник' },
  allDirections: true,
  permissions: { activity: ['read', 'create', 'update'], organization: ['read'], person: ['read'] },
};

export async function ensureStaffRole(api: TestApi): Promise<void> {
  const existing = await api.request('GET', '/api/v1/meta/roles/staff');
  if (existing.status === 200) return;
  // Only entities this test's platform has (the CRM ones when it runs the shipped apps).
  const permissions = Object.fromEntries(Object.entries(STAFF_ROLE.permissions).filter(([entity]) => api.platform.registry.entity(entity)));
  const created = await api.request('POST', '/api/v1/meta/roles', { ...STAFF_ROLE, permissions });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await api.platform.registry.refresh(true);
}

export async function addStaff(
  api: TestApi,
  input: { name: string; email: string; locale?: 'en' | 'ru'; reminderLeadMinutes?: number; timeZone?: string },
): Promise<Staff> {
  await ensureStaffRole(api);
  const password = `${input.name} password 1`;
  const created = await api.request<{ _id: string }>('POST', '/api/v1/data/user', {
    email: input.email,
    name: input.name,
    password,
    locale: input.locale ?? 'en',
    roles: ['staff'],
    ...(input.reminderLeadMinutes !== undefined ? { reminderLeadMinutes: input.reminderLeadMinutes } : {}),
    ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const objectId = new ObjectId(created.body._id);
  const session = await api.login(input.email, password);
  return { id: created.body._id, objectId, email: input.email, token: session.token, request: api.as(session.token) };
}

/** Creates an activity as the administrator; answers the record. */
export async function planActivity(api: TestApi, data: Record<string, unknown>): Promise<{ _id: string; version: number } & Record<string, unknown>> {
  const response = await api.request<{ _id: string; version: number }>('POST', '/api/v1/data/activity', { type: 'call', status: 'planned', ...data });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  await api.platform.bus.drain(); // the reminder schedule follows in an after-hook
  return response.body;
}

export async function patchActivity(api: TestApi, id: string, data: Record<string, unknown>): Promise<void> {
  const response = await api.request('PATCH', `/api/v1/data/activity/${id}`, data);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  await api.platform.bus.drain();
}
