/**
 * OpenAPI descriptions of the signed-in user's own endpoints: preferences
 * (`PATCH /auth/me`), the notification inbox and the calendar feed, plus the
 * per-activity invitation. Their modules (core/auth/profile-routes.ts,
 * core/notifications/routes.ts, core/calendar/routes.ts) own the behaviour.
 */
import { ID_PARAM, type Json, jsonResponse as json, problem, PROBLEMS } from '../http/openapi-parts.ts';

const ICS = (description: string) => ({ description, content: { 'text/calendar': { schema: { type: 'string' } } } });

/** The answer of GET and PATCH /auth/me: the user's record, and how they are signed in. */
export const ME_SCHEMA: Json = {
  type: 'object',
  description: 'The signed-in user\'s record (system fields and the user entity\'s fields; never the password), plus `user` (the same record), `isAdmin`, `hasAllDirections`, `via` and, for API tokens, `scopes`.',
  required: ['_id', 'version', 'email', 'user', 'isAdmin', 'via'],
  properties: {
    _id: { type: 'string' },
    version: { type: 'integer' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    user: { $ref: '#/components/schemas/User' },
    isAdmin: { type: 'boolean' },
    hasAllDirections: { type: 'boolean' },
    via: { enum: ['session', 'token'] },
    scopes: { type: 'array', items: { type: 'string' } },
  },
};

const NOTIFICATION: Json = {
  type: 'object',
  properties: {
    _id: { type: 'string' },
    kind: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    link: { type: 'string' },
    rule: { type: 'string' },
    eventAt: { type: 'string', format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    readAt: { type: ['string', 'null'], format: 'date-time' },
    isRead: { type: 'boolean' },
  },
};

export function personalPaths(): Record<string, Json> {
  return {
    '/api/v1/auth/me': {
      patch: {
        operationId: 'updateMe',
        tags: ['Authentication'],
        summary: 'Change the own preferences (locale, timeZone, reminderLeadMinutes; nothing else)',
        description: 'A record update of the own user record (history, events). If-Match is honoured like on records; API tokens need the user:update scope. Any other key is a 400.',
        parameters: [{ name: 'If-Match', in: 'header', schema: { type: 'string' }, description: 'ETag of the user record; stale → 409' }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: { locale: { enum: ['en', 'ru'] }, timeZone: { type: ['string', 'null'], description: 'IANA time zone name' }, reminderLeadMinutes: { type: 'integer', minimum: 0, maximum: 10080 } } } } } },
        responses: { '200': { ...json(ME_SCHEMA), headers: { ETag: { schema: { type: 'string' } } } }, '409': problem('Version conflict'), ...PROBLEMS },
      },
    },
    '/api/v1/notifications': {
      get: {
        operationId: 'listNotifications',
        tags: ['Notifications'],
        summary: 'The signed-in user\'s notifications, newest first',
        parameters: [
          { name: 'unread', in: 'query', schema: { type: 'boolean' }, description: '`true`: unread ones only' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 }, description: 'Exclusive with cursor.' },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'From the previous page\'s nextCursor.' },
        ],
        responses: { '200': json({ type: 'object', required: ['items', 'total', 'unreadCount'], properties: { items: { type: 'array', items: NOTIFICATION }, total: { type: 'integer' }, unreadCount: { type: 'integer' }, nextCursor: { type: 'string' } } }), '400': PROBLEMS['400'], '401': PROBLEMS['401'] },
      },
    },
    '/api/v1/notifications/read-all': {
      post: { operationId: 'markAllNotificationsRead', tags: ['Notifications'], summary: 'Mark every own notification read', responses: { '200': json({ type: 'object', properties: { updated: { type: 'integer' } } }), '401': PROBLEMS['401'] } },
    },
    '/api/v1/notifications/{id}/read': {
      parameters: [ID_PARAM],
      post: { operationId: 'markNotificationRead', tags: ['Notifications'], summary: 'Mark one own notification read', responses: { '200': json(NOTIFICATION), '401': PROBLEMS['401'], '404': PROBLEMS['404'] } },
    },
    '/api/v1/calendar/feed': {
      get: { operationId: 'calendarFeedStatus', tags: ['Calendar'], summary: 'Whether the own calendar feed exists (never its URL)', responses: { '200': json({ type: 'object', required: ['isActive'], properties: { isActive: { type: 'boolean' }, createdAt: { type: 'string', format: 'date-time' }, lastFetchedAt: { type: ['string', 'null'], format: 'date-time' } } }), '401': PROBLEMS['401'] } },
      post: { operationId: 'issueCalendarFeed', tags: ['Calendar'], summary: 'Issue a private feed URL for calendar clients (the previous one stops working); shown only here', responses: { '201': json({ type: 'object', properties: { url: { type: 'string' }, webcalUrl: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } } }, 'Issued'), '401': PROBLEMS['401'] } },
      delete: { operationId: 'revokeCalendarFeed', tags: ['Calendar'], summary: 'Revoke the own feed URL at once', responses: { '204': { description: 'Revoked' }, '401': PROBLEMS['401'] } },
    },
    '/api/v1/calendar/feed/{token}.ics': {
      get: {
        operationId: 'calendarFeed',
        tags: ['Calendar'],
        summary: 'The feed of the owner\'s planned activities (iCalendar); the token in the URL is the credential',
        security: [],
        parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': ICS('iCalendar feed'), '404': problem('Unknown or revoked feed') },
      },
    },
    '/api/v1/data/activity/{id}/ics': {
      parameters: [ID_PARAM],
      get: { operationId: 'activityInvitation', tags: ['Calendar'], summary: 'One activity as an iCalendar invitation (METHOD:REQUEST)', responses: { '200': ICS('iCalendar invitation'), ...PROBLEMS } },
    },
  };
}
