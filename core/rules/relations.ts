/**
 * How the records of a rule's entity relate to activities, read from
 * metadata: an activity entity is any entity with a `timeline` option (its
 * items have types and statuses). Its records relate to a record of the
 * rule's entity when they reference it (activity.deal = deal), or share a
 * reference with it (activity.organization = deal.organization). No entity
 * is named in code. Pure; derived once per metadata snapshot by callers.
 */
import type { EntityDefinition, FieldDefinition, TimelineOptions } from '../metadata/types.ts';

export interface ActivityLink {
  activity: EntityDefinition;
  options: TimelineOptions;
  /** activity fields pointing at the rule's entity: the record is the one referenced */
  direct: FieldDefinition[];
  /** an activity field and a field of the rule's entity pointing at the same entity */
  shared: Array<{ activityField: FieldDefinition; recordField: FieldDefinition }>;
}

const isReference = (field: FieldDefinition): boolean => !field.retired && (field.type === 'reference' || field.type === 'references') && field.entity !== undefined;

export function activityLinks(entities: ReadonlyMap<string, EntityDefinition>, target: EntityDefinition): ActivityLink[] {
  const links: ActivityLink[] = [];
  const targetRefs = target.fields.filter(isReference);
  for (const activity of [...entities.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!activity.timeline || activity.name === target.name) continue;
    const refs = activity.fields.filter(isReference);
    const direct = refs.filter((field) => field.entity === target.name);
    const shared = refs.flatMap((activityField) =>
      targetRefs.filter((recordField) => recordField.entity === activityField.entity && activityField.entity !== activity.name).map((recordField) => ({ activityField, recordField })),
    );
    if (direct.length > 0 || shared.length > 0) links.push({ activity, options: activity.timeline, direct, shared });
  }
  return links;
}

/** The values of the activity's typeField (all types when it has none). */
export function activityTypes(link: Pick<ActivityLink, 'activity' | 'options'>): string[] | undefined {
  const field = link.options.typeField ? link.activity.fields.find((f) => f.name === link.options.typeField) : undefined;
  return field?.options?.map((option) => option.value);
}

/** Status values meaning "took place": doneStatuses, else every status that is not open. */
export function doneStatuses(link: Pick<ActivityLink, 'activity' | 'options'>): string[] {
  if (link.options.doneStatuses) return link.options.doneStatuses;
  const field = link.options.statusField ? link.activity.fields.find((f) => f.name === link.options.statusField) : undefined;
  const open = new Set(link.options.openStatuses ?? []);
  return (field?.options ?? []).map((option) => option.value).filter((value) => !open.has(value));
}
