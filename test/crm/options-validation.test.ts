import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadShippedEntities } from '../../core/metadata/bootstrap.ts';
import type { EntityDefinition } from '../../core/metadata/types.ts';
import { validateEntity } from '../../core/metadata/validate-entity.ts';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';

const entities = new Map<string, EntityDefinition>();
before(async () => {
  for (const { definition } of await loadShippedEntities(SHIPPED_APPS_DIR)) entities.set(definition.name, definition);
});

const of = (name: string): EntityDefinition => structuredClone(entities.get(name)!);
const check = (def: EntityDefinition) => validateEntity(def, { entities });
const messageAt = (def: EntityDefinition, path: string) => check(def).find((e) => e.path === path)?.message;

test('the shipped CRM entities, with their timeline, summary and duplicates options, are valid', () => {
  for (const name of ['organization', 'person', 'employment', 'activity']) assert.deepEqual(check(of(name)), [], name);
  assert.ok(of('activity').timeline?.followUp, 'activity proposes next contacts');
});

test('timeline fields must name live fields of fitting types', () => {
  const activity = of('activity');
  activity.timeline = { ...activity.timeline!, dateField: 'subject' };
  assert.match(messageAt(activity, '/timeline/dateField') ?? '', /date or datetime/);
  const typed = of('activity');
  typed.timeline = { ...typed.timeline!, typeField: 'subject', actorField: 'notes' };
  assert.match(messageAt(typed, '/timeline/typeField') ?? '', /enum field/);
  assert.match(messageAt(typed, '/timeline/actorField') ?? '', /owner/);
  const statuses = of('activity');
  statuses.timeline = { ...statuses.timeline!, openStatuses: ['planned', 'someday'], doneStatuses: ['held', 'planned'] };
  assert.match(messageAt(statuses, '/timeline/openStatuses/1') ?? '', /not an option/);
  assert.match(messageAt(statuses, '/timeline/doneStatuses') ?? '', /open and done/);
});

test('a timeline option of the wrong shape is refused by the meta-schema', () => {
  const activity = of('activity') as unknown as Record<string, unknown>;
  activity.timeline = { typeField: 'type', colour: 'red' };
  const paths = check(activity as unknown as EntityDefinition).map((e) => e.path);
  assert.deepEqual(paths.sort(), ['/timeline/colour', '/timeline/dateField'], JSON.stringify(paths));
  const noStatus = of('activity');
  const { statusField: _dropped, ...rest } = noStatus.timeline!;
  noStatus.timeline = rest as typeof noStatus.timeline;
  assert.ok(check(noStatus).some((e) => e.path.startsWith('/timeline')), 'openStatuses without statusField');
});

test('follow-up rules must use known types, a self-reference link and a real time zone', () => {
  const activity = of('activity');
  const followUp = activity.timeline!.followUp!;
  activity.timeline!.followUp = { ...followUp, linkField: 'organization', timeZone: 'Mars/Olympus', rules: { ...followUp.rules, visit: { type: 'call' }, call: { type: 'telegram' } } };
  assert.match(messageAt(activity, '/timeline/followUp/linkField') ?? '', /reference field to activity/);
  assert.match(messageAt(activity, '/timeline/followUp/timeZone') ?? '', /time zone/);
  assert.match(messageAt(activity, '/timeline/followUp/rules/visit') ?? '', /not an option/);
  assert.match(messageAt(activity, '/timeline/followUp/rules/call/type') ?? '', /not an option/);
  const both = of('activity') as unknown as { timeline: { followUp: { default: unknown } } };
  both.timeline.followUp.default = { days: 1, businessDays: 1 };
  assert.ok(check(both as unknown as EntityDefinition).length > 0, 'days and businessDays together');
});

test('summary related lists must point back through a reference and expand reference fields', () => {
  const organization = of('organization');
  organization.summary = {
    fields: ['rating', 'nope'],
    related: [
      { entity: 'employment', via: 'person', expand: ['position'], siblings: 'organization' },
      { entity: 'ghost', via: 'organization' },
    ],
  };
  assert.match(messageAt(organization, '/summary/fields/1') ?? '', /no field/);
  assert.match(messageAt(organization, '/summary/related/0/via') ?? '', /pointing to organization/);
  assert.match(messageAt(organization, '/summary/related/0/expand/0') ?? '', /reference field/);
  assert.match(messageAt(organization, '/summary/related/0/siblings') ?? '', /expanded fields/);
  assert.match(messageAt(organization, '/summary/related/1/entity') ?? '', /unknown entity/);
});

test('duplicate keys must be text, e-mail or phone fields; the similar name a text field', () => {
  const organization = of('organization');
  organization.duplicates = { keys: ['taxId', 'rating'], similarName: 'category' };
  assert.match(messageAt(organization, '/duplicates/keys/1') ?? '', /text, email or phone/);
  assert.match(messageAt(organization, '/duplicates/similarName') ?? '', /text field/);
  const empty = of('organization') as unknown as Record<string, unknown>;
  empty.duplicates = {};
  assert.ok(check(empty as unknown as EntityDefinition).some((e) => e.path.startsWith('/duplicates/')), 'keys or similarName is required');
});

test('a field an option uses cannot silently disappear: retiring it makes the entity invalid', () => {
  const activity = of('activity');
  activity.fields = activity.fields.map((f) => (f.name === 'status' ? { ...f, retired: true } : f));
  assert.ok(messageAt(activity, '/timeline/statusField'));
});
