/**
 * What notifications need to know about a user: where to mail, in which
 * language and time zone, and how long before an activity to remind. Users
 * are records of the system entity `user`, owned by identity; every value is
 * read defensively and falls back to a default.
 */
import type { Db, ObjectId } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';
import type { Locale } from '../metadata/types.ts';

export const USER_ENTITY = 'user';
export const DEFAULT_LEAD_MINUTES = 15;
/** a week: a lead time beyond it is treated as a typo and replaced by the default */
export const MAX_LEAD_MINUTES = 7 * 24 * 60;

export interface UserProfile {
  id: ObjectId;
  email: string | undefined;
  name: string | undefined;
  locale: Locale;
  timeZone: string;
  reminderLeadMinutes: number;
  /** false when no user record was found (the defaults apply) */
  isKnown: boolean;
  /** the user record says the account is switched off */
  isDeactivated: boolean;
}

function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function leadMinutesOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_LEAD_MINUTES ? value : DEFAULT_LEAD_MINUTES;
}

export function readUserProfile(id: ObjectId, doc: Record<string, unknown> | null): UserProfile {
  const preferences = typeof doc?.preferences === 'object' && doc.preferences !== null ? (doc.preferences as Record<string, unknown>) : {};
  const email = typeof doc?.email === 'string' && /^[^\s@]+@[^\s@]+$/.test(doc.email) ? doc.email : undefined;
  const lead = doc?.reminderLeadMinutes ?? preferences.reminderLeadMinutes;
  const zone = doc?.timeZone ?? doc?.timezone ?? preferences.timeZone;
  return {
    id,
    email,
    name: typeof doc?.name === 'string' && doc.name.trim() !== '' ? doc.name : undefined,
    locale: doc?.locale === 'ru' ? 'ru' : 'en',
    timeZone: isTimeZone(zone) ? zone : 'UTC',
    reminderLeadMinutes: leadMinutesOf(lead),
    isKnown: doc !== null,
    isDeactivated: doc !== null && (doc.active === false || doc.disabled === true || doc.isActive === false),
  };
}

/** The profile of a user; an unknown user gets the defaults. */
export async function loadUserProfile(db: Db, id: ObjectId): Promise<UserProfile> {
  const doc = await db
    .collection(recordCollectionName(USER_ENTITY))
    .findOne({ _id: id }, { projection: { email: 1, name: 1, locale: 1, timeZone: 1, timezone: 1, reminderLeadMinutes: 1, preferences: 1, active: 1, disabled: 1, isActive: 1 } });
  return readUserProfile(id, doc);
}
