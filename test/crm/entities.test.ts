import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApi } from '../support/api.ts';
import { create, get, startCrmApi, type Rec } from './fixtures.ts';

type Problem = { status: number; code: string; errors: Array<{ path: string; message: string }> };

describe('CRM entities through the generic records API', () => {
  let api: TestApi;
  before(async () => {
    api = await startCrmApi();
  });
  after(async () => api.close());

  const refused = async (entity: string, body: unknown, paths: string[]) => {
    const before = await api.database.db.collection(entity).countDocuments();
    const response = await api.request<Problem>('POST', `/api/v1/data/${entity}`, body);
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.equal(response.headers.get('content-type')?.startsWith('application/problem+json'), true);
    assert.deepEqual([...new Set(response.body.errors.map((e) => e.path))].sort(), [...paths].sort(), JSON.stringify(response.body.errors));
    assert.equal(await api.database.db.collection(entity).countDocuments(), before, 'nothing stored');
  };

  it('the shipped entities are defined with English and Russian labels', async () => {
    const list = await get<{ items?: Array<{ name: string; label: { en: string; ru?: string } }> } | Array<{ name: string; label: { en: string; ru?: string } }>>(api, '/api/v1/meta/entities');
    const entities = Array.isArray(list) ? list : (list.items ?? []);
    for (const name of ['organization', 'person', 'employment', 'activity']) {
      const entity = entities.find((e) => e.name === name);
      assert.ok(entity, name);
      assert.ok(entity.label.en && entity.label.ru, `${name} has en and ru labels`);
    }
  });

  it('organization: created with defaults; tax id, KPP, rating, category and website validated; platform fields refused', async () => {
    const org = await create(api, 'organization', { name: 'Газпром нефть', taxId: '5504036333', kpp: '784201001', industry: 'manufacturing', rating: 5, website: 'https://www.gazprom-neft.ru' });
    assert.equal(org.category, 'prospect', 'default category');
    assert.equal(org.taxId, '5504036333');
    await refused('organization', { name: 'Bad', taxId: '12345', kpp: 'KPP', rating: 9, category: 'friend', website: 'not a url' }, ['/taxId', '/kpp', '/rating', '/category', '/website']);
    await refused('organization', { taxId: '5504036333' }, ['/name']);
    await refused('organization', { name: 'X', stage: 'won', createdBy: 'me' }, ['/stage', '/createdBy']);
  });

  it('person: the full name is computed from its parts; e-mail and language validated', async () => {
    const person = await create(api, 'person', { lastName: 'Петров', firstName: 'Иван', patronymic: 'Сергеевич', email: 'ivan@example.ru', birthday: '1980-02-29' });
    assert.equal(person.fullName, 'Петров Иван Сергеевич');
    assert.equal(person.preferredLanguage, 'ru');
    assert.equal(person.birthday, '1980-02-29');
    const patched = await api.request<Rec>('PATCH', `/api/v1/data/person/${person._id}`, { patronymic: null, firstName: 'Ivan' });
    assert.equal(patched.body.fullName, 'Петров Ivan');
    await refused('person', { firstName: 'No last name', email: 'not-an-email', preferredLanguage: 'fr' }, ['/lastName', '/email', '/preferredLanguage']);
    await refused('person', { lastName: 'X', fullName: 'Forced' }, ['/fullName']);
  });

  it('employment: links a person to organizations (several at once); both references required and checked', async () => {
    const person = await create(api, 'person', { lastName: 'Smith', firstName: 'Anna' });
    const a = await create(api, 'organization', { name: 'A' });
    const b = await create(api, 'organization', { name: 'B' });
    await create(api, 'employment', { person: person._id, organization: a._id, position: 'CFO', isPrimary: true, startDate: '2020-01-01' });
    await create(api, 'employment', { person: person._id, organization: b._id, position: 'Advisor', workEmail: 'anna@b.example' });
    const filter = encodeURIComponent(JSON.stringify({ person: person._id }));
    const jobs = await get<{ items: Array<Rec & { organization: Rec }>; total: number }>(api, `/api/v1/data/employment?filter=${filter}&expand=organization&sort=organization`);
    assert.equal(jobs.total, 2);
    assert.deepEqual(jobs.items.map((job) => job.organization.name).sort(), ['A', 'B']);
    await refused('employment', { position: 'Nobody' }, ['/person', '/organization']);
    await refused('employment', { person: person._id, organization: '0123456789abcdef01234567', startDate: '2020-13-01' }, ['/startDate']);
    const dangling = await api.request<Problem>('POST', '/api/v1/data/employment', { person: person._id, organization: '0123456789abcdef01234567' });
    assert.equal(dangling.status, 400);
    assert.deepEqual(dangling.body.errors.map((e) => e.path), ['/organization']);
  });

  it('activity: type, status and flow defaults; occurredAt computed; participants; references checked', async () => {
    const org = await create(api, 'organization', { name: 'Activity Org' });
    const person = await create(api, 'person', { lastName: 'Participant' });
    const activity = await create(api, 'activity', { subject: 'Intro call', plannedStart: '2030-05-05T09:00:00.000Z', organization: org._id, person: person._id, participants: [person._id] });
    assert.deepEqual([activity.type, activity.status, activity.flow], ['call', 'planned', 'outbound']);
    assert.equal(activity.occurredAt, '2030-05-05T09:00:00.000Z');
    const held = await api.request<Rec>('PATCH', `/api/v1/data/activity/${activity._id}`, { status: 'held', heldAt: '2030-05-05T09:30:00.000Z', result: 'Good' });
    assert.equal(held.body.occurredAt, '2030-05-05T09:30:00.000Z');
    await refused('activity', { type: 'fax', status: 'done', flow: 'sideways' }, ['/subject', '/type', '/status', '/flow']);
    await refused('activity', { subject: 'x'.repeat(301), plannedStart: 'tomorrow', participants: ['nope'] }, ['/subject', '/plannedStart', '/participants/0']);
    const dangling = await api.request<Problem>('POST', '/api/v1/data/activity', { subject: 'Ghost', participants: [person._id, '0123456789abcdef01234567'] });
    assert.deepEqual(dangling.body.errors.map((e) => e.path), ['/participants']);
    const byParticipant = encodeURIComponent(JSON.stringify({ participants: person._id }));
    const list = await get<{ total: number }>(api, `/api/v1/data/activity?filter=${byParticipant}`);
    assert.equal(list.total, 1);
  });

  it('searches organizations and persons in Russian and English', async () => {
    await create(api, 'organization', { name: 'Северсталь', city: 'Череповец' });
    await create(api, 'person', { lastName: 'Ёлкина', firstName: 'Мария' });
    const orgs = await get<{ items: Rec[] }>(api, `/api/v1/data/organization?q=${encodeURIComponent('северст')}`);
    assert.deepEqual(orgs.items.map((o) => o.name), ['Северсталь']);
    const persons = await get<{ items: Rec[] }>(api, `/api/v1/data/person?q=${encodeURIComponent('елкина')}`);
    assert.deepEqual(persons.items.map((p) => p.fullName), ['Ёлкина Мария']);
  });
});
