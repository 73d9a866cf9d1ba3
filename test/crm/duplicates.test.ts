import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { nameTokens, normalizeEmail, normalizePhone } from '../../core/engagement/duplicates/normalize.ts';
import { jaroWinkler, levenshtein, nameSimilarity } from '../../core/engagement/duplicates/similarity.ts';
import type { TestApi } from '../support/api.ts';
import { create, startCrmApi, type Rec } from './fixtures.ts';

interface Candidate {
  id: string;
  title: string | null;
  reasons: string[];
  similarity?: number;
}
type Created = Rec & { warnings?: Array<{ code: string; candidates: Candidate[] }> };

test('normal forms: digits-only phones with the 8→7 trunk prefix, lower-case e-mails, names without legal forms', () => {
  assert.equal(normalizePhone('+7 (495) 123-45-67'), '74951234567');
  assert.equal(normalizePhone('8 495 1234567'), '74951234567');
  assert.equal(normalizePhone('12-34'), undefined, 'too short to identify anyone');
  assert.equal(normalizeEmail('  Info@Acme.RU '), 'info@acme.ru');
  assert.deepEqual(nameTokens('ООО «Ромашка»'), ['ромашка']);
  assert.deepEqual(nameTokens('Ivanov Ivan LLC'), ['ivanov', 'ivan']);
});

test('Jaro-Winkler and Levenshtein: the textbook values, symmetric, 1 for equal strings', () => {
  assert.equal(levenshtein('kitten', 'sitting'), 3);
  assert.equal(jaroWinkler('martha', 'marhta').toFixed(3), '0.961');
  assert.equal(jaroWinkler('dixon', 'dicksonx').toFixed(3), '0.813');
  assert.equal(jaroWinkler('ромашка', 'ромашка'), 1);
  assert.equal(jaroWinkler('abc', 'xyz'), 0);
  assert.equal(jaroWinkler('ромашка', 'ромашко'), jaroWinkler('ромашко', 'ромашка'));
});

test('name similarity: typos, spacing, word order and a missing patronymic are similar; names sharing only a beginning are not', () => {
  const similar = (a: string, b: string) => nameSimilarity(a, b) >= 0.85;
  assert.ok(similar('Ромашка', 'Ромашко'));
  assert.ok(similar('Газпром нефть', 'ПАО «Газпромнефть»'));
  assert.ok(similar('Ivanov Ivan', 'Ivan Ivanov'));
  assert.ok(similar('Петров Иван', 'Петров Иван Сергеевич'));
  assert.ok(similar('Blue Harbor Logistics', 'Blue Harbour Logistics Ltd'));
  assert.ok(!similar('СеверСтрой', 'СеверТорг'), 'Jaro-Winkler alone says 0.91 here');
  assert.ok(!similar('Иванов Иван', 'Иванов Пётр'));
  assert.ok(!similar('Вектор', 'Вектор Плюс'));
  assert.equal(nameSimilarity('ООО', 'LLC'), 0, 'nothing left to compare');
});

describe('duplicate control through the API', () => {
  let api: TestApi;
  let romashka: Rec;
  let vector: Rec;
  let ivanov: Rec;

  before(async () => {
    api = await startCrmApi();
    romashka = await create(api, 'organization', { name: 'ООО «Ромашка»', taxId: '7707083893', phone: '+7 (495) 123-45-67', email: 'Info@Romashka.ru' });
    vector = await create(api, 'organization', { name: 'Vector Systems', phone2: '8 812 555 0101' });
    ivanov = await create(api, 'person', { lastName: 'Иванов', firstName: 'Пётр', email: 'p.ivanov@mail.ru', mobilePhone: '+7 916 000-11-22' });
  });
  after(async () => api.close());

  it('finds candidates by normalised tax id, phone and e-mail, naming the reasons', async () => {
    const response = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/organization/duplicates', { name: 'Something else', taxId: '7707083893', phone: '8-495-123-45-67', email: 'info@romashka.RU' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.candidates, [{ id: romashka._id, title: 'ООО «Ромашка»', reasons: ['same taxId', 'same email', 'same phone'], similarity: 0 }]);
  });

  it('a phone matches across phone fields (phone against phone2)', async () => {
    const response = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/organization/duplicates', { phone: '+7 812 555-01-01' });
    assert.deepEqual(response.body.candidates.map((c) => [c.id, c.reasons]), [[vector._id, ['same phone']]]);
  });

  it('finds similar names, ignoring legal forms, quotes, case and a typo', async () => {
    const response = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/organization/duplicates', { name: 'Ромашко ООО' });
    assert.equal(response.body.candidates.length, 1);
    assert.equal(response.body.candidates[0]!.id, romashka._id);
    assert.match(response.body.candidates[0]!.reasons[0]!, /^similar name 0\.9\d$/);
    const exact = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/organization/duplicates', { name: 'romashka' });
    assert.deepEqual(exact.body.candidates, [], 'other scripts do not match');
    const none = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/organization/duplicates', { name: 'Совсем другая компания' });
    assert.deepEqual(none.body.candidates, []);
  });

  it('persons: computed full name compared, word order ignored, e-mail case ignored', async () => {
    const byName = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/person/duplicates', { lastName: 'Пётр', firstName: 'Иванов' });
    assert.deepEqual(byName.body.candidates.map((c) => [c.id, c.reasons]), [[ivanov._id, ['same name']]]);
    const byEmail = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/person/duplicates', { lastName: 'Sidorov', email: 'P.Ivanov@MAIL.RU' });
    assert.deepEqual(byEmail.body.candidates.map((c) => c.reasons), [['same email']]);
  });

  it('creating a likely duplicate answers 201 with a POSSIBLE_DUPLICATE warning (it never blocks)', async () => {
    const response = await api.request<Created>('POST', '/api/v1/data/organization', { name: 'Ромашка', phone: '84951234567' });
    assert.equal(response.status, 201);
    assert.equal(response.body.name, 'Ромашка');
    assert.equal(response.body.warnings?.length, 1);
    const warning = response.body.warnings![0]!;
    assert.equal(warning.code, 'POSSIBLE_DUPLICATE');
    assert.deepEqual(warning.candidates.map((c) => [c.id, c.reasons]), [[romashka._id, ['same phone', 'same name']]]);
    const stored = await api.request<Rec>('GET', `/api/v1/data/organization/${response.body._id}`);
    assert.equal(stored.status, 200, 'the record was created');
    assert.equal(stored.body.warnings, undefined);
  });

  it('a record with no look-alike is created without warnings; an update keeps its keys current', async () => {
    const fresh = await api.request<Created>('POST', '/api/v1/data/organization', { name: 'Unique Widgets', phone: '+1 555 0100 999' });
    assert.equal(fresh.body.warnings, undefined);
    await api.request('PATCH', `/api/v1/data/organization/${fresh.body._id}`, { phone: '+1 555 0100 777' });
    const oldPhone = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/organization/duplicates', { phone: '+1 555 0100 999' });
    assert.deepEqual(oldPhone.body.candidates, []);
    const newPhone = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/organization/duplicates', { phone: '15550100777' });
    assert.deepEqual(newPhone.body.candidates.map((c) => c.id), [fresh.body._id]);
  });

  it('checking an existing record leaves itself out; bad candidates are a 400; entities without the option a 404', async () => {
    const self = await api.request<{ candidates: Candidate[] }>('POST', '/api/v1/data/organization/duplicates', { _id: vector._id, name: 'Vector Systems', phone2: '8 812 555 0101' });
    assert.deepEqual(self.body.candidates, []);
    const bad = await api.request<{ errors: Array<{ path: string }> }>('POST', '/api/v1/data/organization/duplicates', { nope: 1, _id: 'x' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e) => e.path).sort(), ['/_id', '/nope']);
    assert.equal((await api.request('POST', '/api/v1/data/employment/duplicates', {})).status, 404);
  });
});
