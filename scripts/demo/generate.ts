/**
 * The demo data set as plain JSON records, generated deterministically from
 * a seed: managers, organizations (Russian and English, valid INNs),
 * persons, employments (some people in two organizations, some former) and
 * activities (past ones held, missed or cancelled with results; upcoming and
 * overdue planned ones). Records refer to each other by index; the seeding
 * script turns indexes into ids as it creates them.
 */
import {
  DEPARTMENTS_EN, DEPARTMENTS_RU, EN_COMPANY, EN_PEOPLE, POSITIONS_EN, POSITIONS_RU, RESULTS, RU_COMPANY, RU_FEMALE, RU_MALE, RU_TRANSLIT, SUBJECTS,
} from './names.ts';
import { companyInn, companyOgrn, Random } from './random.ts';

type Data = Record<string, unknown>;

export interface DemoSize {
  organizations: number;
  persons: number;
  activities: number;
}

export const DEMO_SIZE: DemoSize = { organizations: 200, persons: 600, activities: 5000 };

export const DEMO_DIRECTIONS = [
  { name: 'moscow', label: { en: 'Moscow', ru: 'Москва' }, city: 'Москва', phoneCode: '495' },
  { name: 'spb', label: { en: 'Saint Petersburg', ru: 'Санкт-Петербург' }, city: 'Санкт-Петербург', phoneCode: '812' },
] as const;

export interface DemoUser {
  email: string;
  name: string;
  direction: string;
}

export interface DemoSet {
  users: DemoUser[];
  organizations: Array<{ data: Data; owner: number }>;
  persons: Array<{ data: Data; owner: number }>;
  employments: Array<{ person: number; organization: number; data: Data }>;
  activities: Array<{ organization: number; person?: number; participants?: number[]; owner: number; data: Data }>;
}

const DAY = 86_400_000;
const translit = (text: string) => [...text.toLowerCase()].map((ch) => RU_TRANSLIT[ch] ?? ch).join('').replace(/[^a-z0-9]+/g, '');
const dateOnly = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function users(): DemoUser[] {
  const people = [['Анна Соколова', 'moscow'], ['Дмитрий Волков', 'moscow'], ['Ольга Лебедева', 'moscow'], ['Игорь Павлов', 'spb'], ['Мария Орлова', 'spb'], ['Pavel Green', 'spb']] as const;
  return people.map(([name, direction], i) => ({ email: `manager${i + 1}@demo.relata.local`, name, direction }));
}

function organization(random: Random, i: number, team: DemoUser[]): { data: Data; owner: number } {
  const owner = random.int(0, team.length - 1);
  const direction = DEMO_DIRECTIONS.find((d) => d.name === team[owner]!.direction)!;
  const isRussian = i % 10 < 7;
  const names = isRussian ? RU_COMPANY : EN_COMPANY;
  const stem = names.stems[i % names.stems.length]!;
  const branch = names.branches[Math.floor(i / names.stems.length) % names.branches.length]!;
  const name = isRussian ? `${stem}${branch}` : `${stem} ${branch}`;
  const form = random.pick(names.forms);
  const domain = `${translit(name)}.${isRussian ? 'ru' : 'com'}`;
  const data: Data = {
    name: isRussian ? `${form} «${name}»` : `${name} ${form}`,
    legalName: isRussian ? `${form === 'ООО' ? 'Общество с ограниченной ответственностью' : 'Акционерное общество'} «${name}»` : `${name} ${form}`,
    category: random.pick(['prospect', 'prospect', 'client', 'client', 'client', 'partner', 'supplier', 'competitor']),
    industry: random.pick(['manufacturing', 'retail', 'finance', 'it', 'construction', 'logistics', 'public', 'other']),
    city: isRussian ? direction.city : random.pick(['London', 'Berlin', 'Helsinki', 'Dubai']),
    phone: isRussian ? `+7 (${direction.phoneCode}) ${random.digits(3)}-${random.digits(2)}-${random.digits(2)}` : `+44 20 ${random.digits(4)} ${random.digits(4)}`,
    email: `info@${domain}`,
    website: `https://www.${domain}`,
    rating: random.int(1, 5),
    headcount: random.pick([12, 45, 120, 350, 800, 2500, 10000]),
    financialState: random.pick(['stable', 'stable', 'growing', 'risky']),
    direction: direction.name,
  };
  if (isRussian) {
    data.taxId = companyInn(random);
    data.kpp = `${random.pick(['7701', '7705', '7810', '7825'])}01001`;
    data.ogrn = companyOgrn(random);
    data.legalAddress = `${direction.city}, ул. ${random.pick(['Ленина', 'Садовая', 'Промышленная', 'Невская', 'Тверская'])}, д. ${random.int(1, 120)}`;
  }
  return { data, owner };
}

function person(random: Random, team: DemoUser[]): { data: Data; owner: number } {
  const owner = random.int(0, team.length - 1);
  if (random.chance(0.75)) {
    const isFemale = random.chance(0.5);
    const names = isFemale ? RU_FEMALE : RU_MALE;
    const last = random.pick(names.last);
    const first = random.pick(names.first);
    return {
      owner,
      data: {
        lastName: last, firstName: first, patronymic: random.pick(names.patronymic), gender: isFemale ? 'female' : 'male',
        mobilePhone: `+7 (9${random.digits(2)}) ${random.digits(3)}-${random.digits(2)}-${random.digits(2)}`,
        email: `${translit(first).slice(0, 1)}.${translit(last)}${random.int(1, 99)}@mail.ru`,
        birthday: dateOnly(Date.UTC(random.int(1960, 1998), random.int(0, 11), random.int(1, 28))),
        preferredLanguage: 'ru',
      },
    };
  }
  const isFemale = random.chance(0.5);
  const last = random.pick(EN_PEOPLE.last);
  const first = random.pick(isFemale ? EN_PEOPLE.female : EN_PEOPLE.male);
  return { owner, data: { lastName: last, firstName: first, gender: isFemale ? 'female' : 'male', email: `${first.toLowerCase()}.${last.toLowerCase()}${random.int(1, 99)}@example.com`, preferredLanguage: 'en' } };
}

function employment(random: Random, personIndex: number, organizationIndex: number, isRussian: boolean, now: number, isFormer: boolean) {
  const start = now - random.int(200, 3000) * DAY;
  const data: Data = {
    position: random.pick(isRussian ? POSITIONS_RU : POSITIONS_EN),
    department: random.pick(isRussian ? DEPARTMENTS_RU : DEPARTMENTS_EN),
    startDate: dateOnly(start),
    workPhone: isRussian ? `+7 (495) ${random.digits(3)}-${random.digits(2)}-${random.digits(2)}` : `+44 20 ${random.digits(4)} ${random.digits(4)}`,
  };
  if (isFormer) data.endDate = dateOnly(now - random.int(10, 180) * DAY);
  return { person: personIndex, organization: organizationIndex, data };
}

/** A working-hours moment `days` from now (negative: past), on a weekday. */
function workingMoment(random: Random, now: number, days: number): string {
  let t = now + days * DAY;
  const weekday = new Date(t).getUTCDay();
  if (weekday === 0) t += DAY;
  if (weekday === 6) t -= DAY;
  const d = new Date(t);
  d.setUTCHours(random.int(6, 14), random.pick([0, 15, 30, 45]), 0, 0);
  return d.toISOString();
}

function activity(random: Random, organization: number, contacts: number[], owner: number, now: number): DemoSet['activities'][number] {
  const type = random.pick(['call', 'call', 'call', 'call', 'meeting', 'meeting', 'email', 'email', 'letter', 'task', 'note']);
  const person = contacts.length > 0 && random.chance(0.75) ? random.pick(contacts) : undefined;
  const isPlanned = random.chance(0.12);
  const data: Data = { type, subject: random.pick(SUBJECTS[type]!), flow: random.chance(0.3) ? 'inbound' : 'outbound' };
  if (isPlanned) {
    data.status = 'planned';
    data.plannedStart = workingMoment(random, now, random.int(-10, 30));
  } else {
    const days = -random.int(1, 730);
    data.plannedStart = workingMoment(random, now, days);
    data.status = random.pick(['held', 'held', 'held', 'held', 'held', 'held', 'missed', 'cancelled']);
    if (data.status === 'held') {
      data.heldAt = data.plannedStart;
      data.result = random.pick(RESULTS);
    }
  }
  const participants = type === 'meeting' && contacts.length > 1 && random.chance(0.5) ? [...new Set([random.pick(contacts), random.pick(contacts)])] : undefined;
  return { organization, ...(person !== undefined ? { person } : {}), ...(participants ? { participants } : {}), owner, data };
}

export function generateDemo(input: { size?: DemoSize; seed?: number; now?: Date } = {}): DemoSet {
  const size = input.size ?? DEMO_SIZE;
  const random = new Random(input.seed ?? 20261129);
  const now = (input.now ?? new Date()).getTime();
  const team = users();
  const organizations = Array.from({ length: size.organizations }, (_, i) => organization(random, i, team));
  const persons = Array.from({ length: size.persons }, () => person(random, team));
  const employments: DemoSet['employments'] = [];
  const contacts: number[][] = organizations.map(() => []);
  persons.forEach((p, i) => {
    const isRussian = p.data.preferredLanguage === 'ru';
    const first = i % size.organizations;
    employments.push(employment(random, i, first, isRussian, now, random.chance(0.08)));
    contacts[first]!.push(i);
    if (random.chance(0.15)) {
      const second = (first + random.int(1, size.organizations - 1)) % size.organizations;
      employments.push(employment(random, i, second, isRussian, now, false));
      contacts[second]!.push(i);
    }
  });
  // A few busy clients and many quiet ones: organization k is picked with weight 1/(k+1)^0.8.
  const weights = organizations.map((_, k) => 1 / Math.pow(k + 1, 0.8));
  const total = weights.reduce((a, b) => a + b, 0);
  const pickOrganization = () => {
    let r = random.next() * total;
    for (let k = 0; k < weights.length; k++) if ((r -= weights[k]!) <= 0) return k;
    return weights.length - 1;
  };
  const activities = Array.from({ length: size.activities }, () => {
    const k = pickOrganization();
    return activity(random, k, contacts[k]!, random.chance(0.8) ? organizations[k]!.owner : random.int(0, team.length - 1), now);
  });
  return { users: team, organizations, persons, employments, activities };
}
