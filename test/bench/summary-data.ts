/**
 * The data set of the summary benchmark, written straight through the
 * driver (in batches, with the values the record service would derive:
 * computed fields, search tokens, duplicate keys) because 100,000 activities
 * through the HTTP API would take minutes: a focus organization with 50
 * contact persons (45 current, 5 former; 20 also employed elsewhere) and
 * 2,000 activities, among 2,000 other organizations, 10,000 other persons
 * and 98,000 other activities.
 */
import { ObjectId, type Db, type Document } from 'mongodb';
import type { MetadataRegistry } from '../../core/metadata/registry.ts';
import { deriveFields } from '../../core/records/derive.ts';
import type { StoredRecord } from '../../core/records/stored-record.ts';
import { Random, withInnCheckDigit } from '../../scripts/demo/random.ts';

export const SIZE = { activities: 100_000, focusActivities: 2_000, focusPersons: 50, organizations: 2_000, persons: 10_000 };
const DAY = 86_400_000;
const TYPES = ['call', 'call', 'call', 'meeting', 'email', 'letter', 'task', 'note'];

export interface SummaryData {
  focus: ObjectId;
  /** an organization of the background, with an ordinary amount of history */
  typical: ObjectId;
}

function base(now: Date, owner: ObjectId): StoredRecord {
  return { _id: new ObjectId(), version: 1, createdAt: now, updatedAt: now, createdBy: owner, updatedBy: owner, owner };
}

async function insert(db: Db, registry: MetadataRegistry, entity: string, docs: StoredRecord[]): Promise<void> {
  const definition = registry.entity(entity)!;
  for (const doc of docs) Object.assign(doc, deriveFields(definition, doc));
  for (let i = 0; i < docs.length; i += 5000) await db.collection(entity).insertMany(docs.slice(i, i + 5000) as Document[], { ordered: false });
}

export async function writeSummaryData(db: Db, registry: MetadataRegistry): Promise<SummaryData> {
  const random = new Random(7);
  const now = new Date();
  const owners = Array.from({ length: 20 }, () => new ObjectId());
  const owner = () => random.pick(owners);
  const organizations = Array.from({ length: SIZE.organizations + 1 }, (_, i) => ({
    ...base(now, owner()),
    name: i === 0 ? 'ООО «Фокус»' : `Организация ${i}`,
    taxId: withInnCheckDigit(String(100000000 + i)),
    category: random.pick(['prospect', 'client', 'partner']),
    industry: random.pick(['it', 'retail', 'finance']),
    rating: random.int(1, 5),
    headcount: random.int(10, 5000),
    city: random.pick(['Москва', 'Санкт-Петербург', 'Казань']),
    phone: `+7 495 ${random.digits(7)}`,
    direction: 'moscow',
  }));
  const focus = organizations[0]!._id;
  const persons = Array.from({ length: SIZE.persons + SIZE.focusPersons }, (_, i) => ({ ...base(now, owner()), lastName: `Фамилия${i}`, firstName: random.pick(['Анна', 'Иван', 'Ольга', 'Пётр']), email: `p${i}@example.ru` }));
  const focusPersons = persons.slice(0, SIZE.focusPersons);
  const employments: StoredRecord[] = [];
  focusPersons.forEach((person, i) => {
    employments.push({ ...base(now, owner()), person: person._id, organization: focus, position: `Должность ${i}`, startDate: new Date(now.getTime() - 900 * DAY), ...(i >= 45 ? { endDate: new Date(now.getTime() - 30 * DAY) } : {}), isPrimary: i === 0 });
    if (i < 20) employments.push({ ...base(now, owner()), person: person._id, organization: organizations[1 + i]!._id, position: 'Консультант', startDate: new Date(now.getTime() - 400 * DAY) });
  });
  persons.slice(SIZE.focusPersons).forEach((person, i) => {
    employments.push({ ...base(now, owner()), person: person._id, organization: organizations[1 + (i % SIZE.organizations)]!._id, position: 'Менеджер' });
  });
  const activities: StoredRecord[] = [];
  for (let i = 0; i < SIZE.activities; i++) {
    const isFocus = i < SIZE.focusActivities;
    const organization = isFocus ? focus : organizations[1 + random.int(0, SIZE.organizations - 1)]!._id;
    const isPlanned = random.chance(0.1);
    const at = new Date(now.getTime() + (isPlanned ? random.int(-10, 30) : -random.int(1, 700)) * DAY);
    const activity: StoredRecord = { ...base(now, owner()), type: random.pick(TYPES), subject: `Activity ${i}`, organization, status: isPlanned ? 'planned' : random.pick(['held', 'held', 'held', 'missed', 'cancelled']), plannedStart: at, flow: 'outbound', direction: 'moscow' };
    if (activity.status === 'held') activity.heldAt = at;
    if (isFocus) {
      activity.person = random.pick(focusPersons)._id;
      if (random.chance(0.2)) activity.participants = [random.pick(focusPersons)._id, random.pick(focusPersons)._id].filter((id, k, all) => all.findIndex((x) => x.equals(id)) === k);
    }
    activities.push(activity);
  }
  await insert(db, registry, 'organization', organizations);
  await insert(db, registry, 'person', persons);
  await insert(db, registry, 'employment', employments);
  await insert(db, registry, 'activity', activities);
  const typical = organizations[1 + Math.floor(SIZE.organizations / 2)]!._id;
  return { focus, typical };
}
