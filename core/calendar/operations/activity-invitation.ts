/**
 * One activity as an `.ics` invitation (METHOD:REQUEST), read through the
 * records service: the caller's access rules apply (an activity they may not
 * see is a 404) and hidden fields stay out.
 */
import type { RequestContext } from '../../context.ts';
import type { RecordDeps } from '../../records/deps.ts';
import { findRecord } from '../../records/operations/find-one.ts';
import { ACTIVITY_ENTITY } from '../../notifications/planned-activity.ts';
import { loadUserProfile } from '../../notifications/user-profile.ts';
import { AppError } from '../../shared/errors.ts';
import { ObjectId } from 'mongodb';
import { eventFromJson } from '../calendar-event.ts';
import { renderInvitation, type Person } from '../ics.ts';

async function personOf(deps: RecordDeps, id: ObjectId): Promise<Person | undefined> {
  const profile = await loadUserProfile(deps.db, id);
  return profile.email ? { name: profile.name ?? profile.email, email: profile.email } : undefined;
}

export async function activityInvitation(input: { ctx: RequestContext; deps: RecordDeps; id: string }): Promise<{ ics: string; filename: string }> {
  const { ctx, deps } = input;
  const entity = deps.registry.entity(ACTIVITY_ENTITY);
  const record = await findRecord({ ctx, deps, entity: ACTIVITY_ENTITY, id: input.id, expand: ['organization', 'person'] });
  const titleOf = (field: string) => {
    const target = entity?.fields.find((candidate) => candidate.name === field)?.entity;
    return target ? deps.registry.entity(target)?.titleField : undefined;
  };
  const event = eventFromJson(record, { organization: titleOf('organization'), person: titleOf('person') });
  if (!event) throw new AppError('CONFLICT', 'This activity has no planned start to put in a calendar');

  const owner = typeof record.owner === 'string' && ObjectId.isValid(record.owner) ? await personOf(deps, new ObjectId(record.owner)) : undefined;
  const caller = ctx.principal.userId ? await personOf(deps, ctx.principal.userId) : undefined;
  const attendees = [owner, caller].filter((person): person is Person => person !== undefined);
  const unique = attendees.filter((person, i) => attendees.findIndex((other) => other.email === person.email) === i);
  const ics = renderInvitation({ event, organizer: owner ?? caller, attendees: unique, labels: { entity, locale: ctx.locale }, now: new Date() });
  return { ics, filename: `activity-${event.id}.ics` };
}
