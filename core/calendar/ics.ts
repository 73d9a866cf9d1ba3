/**
 * Activities → iCalendar (RFC 5545) text, through `ical-generator`, which
 * escapes `\ ; ,` and newlines and folds lines at 75 octets (counting UTF-8
 * bytes, so Cyrillic text folds correctly). Times are written in UTC.
 *
 * - UID: stable per activity, so a client updates the event instead of
 *   adding a copy when the activity changes;
 * - SEQUENCE: the record version, so a changed activity supersedes the old;
 * - STATUS: CONFIRMED for planned, CANCELLED for cancelled, else TENTATIVE.
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import type { EntityDefinition, Locale } from '../metadata/types.ts';
import { typeLabel } from '../notifications/reminders/message.ts';
import type { CalendarEvent } from './calendar-event.ts';

export const ICS_CONTENT_TYPE = 'text/calendar; charset=utf-8';
const UID_DOMAIN = 'relata';
const DEFAULT_DURATION_MS = 30 * 60_000;
const PROD_ID = { company: 'Relata', product: 'CRM', language: 'EN' } as const;

export interface Person {
  name: string;
  email: string;
}

interface Labels {
  entity: EntityDefinition | undefined;
  locale: Locale;
}

function eventStatus(status: string | undefined): ICalEventStatus {
  if (status === 'planned') return ICalEventStatus.CONFIRMED;
  if (status === 'cancelled') return ICalEventStatus.CANCELLED;
  return ICalEventStatus.TENTATIVE;
}

function description(event: CalendarEvent, locale: Locale): string | undefined {
  const lines: string[] = [];
  if (event.organization) lines.push(`${locale === 'ru' ? 'Организация' : 'Organization'}: ${event.organization}`);
  if (event.person) lines.push(`${locale === 'ru' ? 'Контактное лицо' : 'Contact'}: ${event.person}`);
  if (event.notes) lines.push(...(lines.length > 0 ? ['', event.notes] : [event.notes]));
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function addEvent(calendar: ICalCalendar, event: CalendarEvent, input: { labels: Labels; organizer?: Person; attendees?: Person[]; stamp: Date }): void {
  const kind = typeLabel(input.labels.entity, event.type, input.labels.locale);
  const end = event.end && event.end.getTime() > event.start.getTime() ? event.end : new Date(event.start.getTime() + DEFAULT_DURATION_MS);
  const text = description(event, input.labels.locale);
  calendar.createEvent({
    id: `activity-${event.id}@${UID_DOMAIN}`,
    sequence: event.version,
    stamp: input.stamp,
    start: event.start,
    end,
    summary: kind ? `${kind}: ${event.subject}` : event.subject,
    ...(text ? { description: text } : {}),
    ...(event.location ? { location: event.location } : {}),
    ...(event.createdAt ? { created: event.createdAt } : {}),
    ...(event.updatedAt ? { lastModified: event.updatedAt } : {}),
    ...(input.organizer ? { organizer: input.organizer } : {}),
    ...(input.attendees && input.attendees.length > 0
      ? { attendees: input.attendees.map((person) => ({ ...person, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.ACCEPTED })) }
      : {}),
    status: eventStatus(event.status),
  });
}

/** A subscribable feed (no METHOD): what Outlook, Google Calendar and Thunderbird poll. */
export function renderFeed(input: { name: string; events: CalendarEvent[]; organizer?: Person; labels: Labels }): string {
  const calendar = ical({ name: input.name, prodId: PROD_ID, ttl: 15 * 60 });
  for (const event of input.events) addEvent(calendar, event, { labels: input.labels, organizer: input.organizer, stamp: event.updatedAt ?? new Date() });
  return calendar.toString();
}

/** One activity as an invitation (METHOD:REQUEST) to add to one's calendar. */
export function renderInvitation(input: { event: CalendarEvent; organizer?: Person; attendees: Person[]; labels: Labels; now: Date }): string {
  const calendar = ical({ prodId: PROD_ID, method: ICalCalendarMethod.REQUEST });
  addEvent(calendar, input.event, { labels: input.labels, organizer: input.organizer, attendees: input.attendees, stamp: input.now });
  return calendar.toString();
}
