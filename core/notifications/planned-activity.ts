/**
 * What reminders and calendars read from an activity record. The activity
 * entity is shipped metadata (metadata/apps/crm); the few fields this module
 * relies on are named here, once, and read defensively: an administrator may
 * have changed the entity, and a missing or odd value means "no reminder".
 */
import { ObjectId, type Db } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';

export const ACTIVITY_ENTITY = 'activity';
export const PLANNED_STATUS = 'planned';

export interface ActivitySnapshot {
  id: ObjectId;
  version: number;
  status: string | undefined;
  plannedStart: Date | undefined;
  plannedEnd: Date | undefined;
  /** the responsible employee (a user id) */
  owner: ObjectId | undefined;
  subject: string;
  type: string | undefined;
  notes: string | undefined;
  organization: ObjectId | undefined;
  person: ObjectId | undefined;
  updatedAt: Date | undefined;
  createdAt: Date | undefined;
}

/** A planned activity with a start and a responsible employee: one that gets reminders. */
export type RemindableActivity = ActivitySnapshot & { plannedStart: Date; owner: ObjectId };

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const date = (value: unknown): Date | undefined => (value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined);
const objectId = (value: unknown): ObjectId | undefined => (value instanceof ObjectId ? value : undefined);

export function readActivity(record: Record<string, unknown>): ActivitySnapshot | undefined {
  const id = objectId(record._id);
  if (!id) return undefined;
  return {
    id,
    version: typeof record.version === 'number' ? record.version : 1,
    status: text(record.status),
    plannedStart: date(record.plannedStart),
    plannedEnd: date(record.plannedEnd),
    owner: objectId(record.owner),
    subject: text(record.subject) ?? '',
    type: text(record.type),
    notes: text(record.notes),
    organization: objectId(record.organization),
    person: objectId(record.person),
    updatedAt: date(record.updatedAt),
    createdAt: date(record.createdAt),
  };
}

export function isRemindable(activity: ActivitySnapshot | undefined): activity is RemindableActivity {
  return activity !== undefined && activity.status === PLANNED_STATUS && activity.plannedStart !== undefined && activity.owner !== undefined;
}

export async function loadActivity(db: Db, id: ObjectId): Promise<ActivitySnapshot | undefined> {
  const record = await db.collection(recordCollectionName(ACTIVITY_ENTITY)).findOne({ _id: id }, { projection: { _search: 0, _outbox: 0 } });
  return record ? readActivity(record) : undefined;
}
