/**
 * The notification module's own collections; like every platform collection
 * they start with `_` so they never clash with an entity's records.
 */
export const NOTIFICATIONS_COLLECTION = '_notifications';
export const REMINDERS_COLLECTION = '_reminders';
