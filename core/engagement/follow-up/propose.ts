/**
 * The next contact proposed after an item is completed, from the entity's
 * `timeline.followUp` rules: the type and date from the rule for the
 * completed item's type (or the default rule), the title prefixed, and the
 * carried fields (organization, person, responsible …) copied. The proposal
 * is a partial record of the same entity, in JSON form, ready to be created
 * as it is or with changes.
 */
import type { EntityDefinition, Locale, TimelineOptions } from '../../metadata/types.ts';
import type { JsonRecord } from '../../records/serialize.ts';
import { localized } from '../summary/related.ts';
import { followUpDate } from './calendar.ts';

/** The field a proposal's date goes in: when the next item is due. */
export function dueFieldOf(options: TimelineOptions): string {
  return options.dueField ?? options.dateField;
}

export function proposeNext(input: { entity: EntityDefinition; record: JsonRecord; now: Date; locale: Locale }): JsonRecord | null {
  const { entity, record } = input;
  const options = entity.timeline;
  const followUp = options?.followUp;
  if (!options || !followUp) return null;
  const type = options.typeField !== undefined ? record[options.typeField] : undefined;
  const rule = (typeof type === 'string' ? followUp.rules?.[type] : undefined) ?? followUp.default;
  if (!rule) return null;
  const proposal: JsonRecord = {};
  if (options.typeField !== undefined) {
    const nextType = rule.type ?? type;
    if (nextType !== undefined) proposal[options.typeField] = nextType;
  }
  proposal[dueFieldOf(options)] = followUpDate({ base: input.now, rule, timeZone: followUp.timeZone }).toISOString();
  const title = entity.titleField !== undefined ? record[entity.titleField] : undefined;
  if (typeof title === 'string' && entity.titleField !== undefined) proposal[entity.titleField] = nextTitle(entity, title, input.locale);
  for (const name of followUp.carry ?? []) {
    const value = record[name];
    if (value !== undefined && value !== null) proposal[name] = value;
  }
  return proposal;
}

/** "Follow-up: <title>", once (a follow-up of a follow-up keeps one prefix), within the field's length. */
function nextTitle(entity: EntityDefinition, title: string, locale: Locale): string {
  const followUp = entity.timeline!.followUp!;
  const prefixes = Object.values(followUp.titlePrefix ?? {}).filter((p): p is string => typeof p === 'string' && p !== '');
  const bare = prefixes.reduce((text, prefix) => (text.startsWith(prefix) ? text.slice(prefix.length) : text), title);
  const prefix = followUp.titlePrefix ? localized(followUp.titlePrefix, locale, '') : '';
  const maxLength = entity.fields.find((f) => f.name === entity.titleField)?.maxLength;
  const text = prefix + bare;
  return maxLength !== undefined && text.length > maxLength ? text.slice(0, maxLength) : text;
}
