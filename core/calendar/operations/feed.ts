/**
 * The signed-in user's private calendar feed: issue (a new URL revokes the
 * old), revoke, status — and rendering it for whoever holds the token.
 */
import type { Db, ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import type { MetadataRegistry } from '../../metadata/registry.ts';
import { ACTIVITY_ENTITY, PLANNED_STATUS, isRemindable, readActivity } from '../../notifications/planned-activity.ts';
import { signedInUserId } from '../../notifications/signed-in-user.ts';
import { loadUserProfile } from '../../notifications/user-profile.ts';
import { notFound } from '../../shared/errors.ts';
import { eventFromSnapshot, type CalendarEvent } from '../calendar-event.ts';
import { feedStatus, issueFeedToken, resolveFeedToken, revokeFeedToken } from '../feed-tokens.ts';
import { renderFeed } from '../ics.ts';
import { referenceTitles } from '../reference-titles.ts';

export interface CalendarDeps {
  db: Db;
  registry: Pick<MetadataRegistry, 'entity'>;
}

/** How far back the feed reaches: recent past events stay visible in the calendar. */
const FEED_HISTORY_MS = 30 * 24 * 60 * 60_000;
const FEED_MAX_EVENTS = 2000;
export const FEED_PATH = '/api/v1/calendar/feed/';

export async function issueCalendarFeed(input: { ctx: RequestContext; deps: CalendarDeps; baseUrl: string }): Promise<{ url: string; webcalUrl: string; createdAt: string }> {
  const userId = signedInUserId(input.ctx);
  const { token, createdAt } = await issueFeedToken(input.deps.db, userId, new Date());
  const url = `${input.baseUrl}${FEED_PATH}${token}.ics`;
  return { url, webcalUrl: url.replace(/^https?:/, 'webcal:'), createdAt: createdAt.toISOString() };
}

export async function revokeCalendarFeed(input: { ctx: RequestContext; deps: CalendarDeps }): Promise<void> {
  await revokeFeedToken(input.deps.db, signedInUserId(input.ctx));
}

export async function calendarFeedStatus(input: { ctx: RequestContext; deps: CalendarDeps }): Promise<Record<string, unknown>> {
  const feed = await feedStatus(input.deps.db, signedInUserId(input.ctx));
  return feed
    ? { isActive: true, createdAt: feed.createdAt.toISOString(), lastFetchedAt: feed.lastFetchedAt?.toISOString() ?? null }
    : { isActive: false };
}

/** The feed behind a token: the owner's planned activities. Unknown or revoked tokens are a 404. */
export async function renderCalendarFeed(input: { deps: CalendarDeps; token: string }): Promise<string> {
  const { db, registry } = input.deps;
  const now = new Date();
  const userId = await resolveFeedToken(db, input.token, now);
  const user = userId ? await loadUserProfile(db, userId) : undefined;
  if (!userId || !user || !user.isKnown || user.isDeactivated) throw notFound('No such calendar feed');
  const events = await plannedEvents(input.deps, userId, now);
  const name = user.locale === 'ru' ? `Relata — ${user.name ?? 'мои активности'}` : `Relata — ${user.name ?? 'my activities'}`;
  return renderFeed({
    name,
    events,
    ...(user.email ? { organizer: { name: user.name ?? user.email, email: user.email } } : {}),
    labels: { entity: registry.entity(ACTIVITY_ENTITY), locale: user.locale },
  });
}

async function plannedEvents(deps: CalendarDeps, userId: ObjectId, now: Date): Promise<CalendarEvent[]> {
  const records = await deps.db
    .collection(recordCollectionName(ACTIVITY_ENTITY))
    .find({ owner: userId, status: PLANNED_STATUS, plannedStart: { $gte: new Date(now.getTime() - FEED_HISTORY_MS) } }, { projection: { _search: 0, _outbox: 0 } })
    .sort({ plannedStart: 1 })
    .limit(FEED_MAX_EVENTS)
    .toArray();
  const rows = records.flatMap((record) => {
    const activity = readActivity(record);
    return isRemindable(activity) ? [{ activity, location: typeof record.location === 'string' ? record.location : undefined }] : [];
  });
  const fields = deps.registry.entity(ACTIVITY_ENTITY)?.fields ?? [];
  const targetOf = (name: string) => fields.find((field) => field.name === name)?.entity ?? name;
  const [organizations, persons] = await Promise.all([
    referenceTitles({ db: deps.db, registry: deps.registry, entity: targetOf('organization'), ids: rows.flatMap(({ activity }) => (activity.organization ? [activity.organization] : [])) }),
    referenceTitles({ db: deps.db, registry: deps.registry, entity: targetOf('person'), ids: rows.flatMap(({ activity }) => (activity.person ? [activity.person] : [])) }),
  ]);
  return rows.map(({ activity, location }) =>
    eventFromSnapshot(activity, {
      organization: activity.organization ? organizations.get(activity.organization.toHexString()) : undefined,
      person: activity.person ? persons.get(activity.person.toHexString()) : undefined,
      location,
    }),
  );
}
