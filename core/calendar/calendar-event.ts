/**
 * The neutral shape an activity takes in a calendar, built either from a
 * stored record (the feed) or from the records API's JSON (a download, which
 * already applied the caller's access rules and hidden fields).
 */
import type { ActivitySnapshot } from '../notifications/planned-activity.ts';

export interface CalendarEvent {
  id: string;
  version: number;
  subject: string;
  type: string | undefined;
  notes: string | undefined;
  status: string | undefined;
  start: Date;
  end: Date | undefined;
  updatedAt: Date | undefined;
  createdAt: Date | undefined;
  organization: string | undefined;
  person: string | undefined;
  location: string | undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function jsonDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** An expanded reference's title, or undefined for a bare id. */
function referenceTitle(value: unknown, titleField: string | undefined): string | undefined {
  if (typeof value !== 'object' || value === null || !titleField) return undefined;
  return text((value as Record<string, unknown>)[titleField]);
}

export function eventFromSnapshot(activity: ActivitySnapshot & { plannedStart: Date }, extra: { organization?: string; person?: string; location?: string }): CalendarEvent {
  return {
    id: activity.id.toHexString(),
    version: activity.version,
    subject: activity.subject,
    type: activity.type,
    notes: activity.notes,
    status: activity.status,
    start: activity.plannedStart,
    end: activity.plannedEnd,
    updatedAt: activity.updatedAt,
    createdAt: activity.createdAt,
    organization: extra.organization,
    person: extra.person,
    location: extra.location,
  };
}

export function eventFromJson(record: Record<string, unknown>, titles: { organization?: string; person?: string }): CalendarEvent | undefined {
  const start = jsonDate(record.plannedStart);
  if (!start || typeof record._id !== 'string') return undefined;
  return {
    id: record._id,
    version: typeof record.version === 'number' ? record.version : 1,
    subject: text(record.subject) ?? '',
    type: text(record.type),
    notes: text(record.notes),
    status: text(record.status),
    start,
    end: jsonDate(record.plannedEnd),
    updatedAt: jsonDate(record.updatedAt),
    createdAt: jsonDate(record.createdAt),
    organization: referenceTitle(record.organization, titles.organization),
    person: referenceTitle(record.person, titles.person),
    location: text(record.location),
  };
}
