import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { MERGES_COLLECTION } from '../../core/engagement/merge/journal.ts';
import type { TestApi } from '../support/api.ts';
import { create, get, startCrmApi, type Rec } from './fixtures.ts';

interface MergeAnswer {
  record: Rec;
  merged: { from: string; into: string; repointed: Record<string, Record<string, number>> };
  isReplay: boolean;
}
interface History {
  items: Array<{ op: string; merge?: { from: string; into: string }; changes: Array<{ field: string; from: unknown; to: unknown }> }>;
}

describe('merge: two records become one, every reference follows', () => {
  let api: TestApi;
  before(async () => {
    api = await startCrmApi();
  });
  after(async () => api.close());

  /** Two duplicate organizations, each with an employee and activities; the person also listed as a participant. */
  async function pair() {
    const into = await create(api, 'organization', { name: 'Ромашка', phone: '+7 495 000-00-01', city: 'Москва' });
    const from = await create(api, 'organization', { name: 'ООО Ромашка', phone: '+7 495 000-00-02', email: 'info@romashka.ru', rating: 5 });
    const person = await create(api, 'person', { lastName: 'Кузнецова', firstName: 'Ольга' });
    const jobInto = await create(api, 'employment', { person: person._id, organization: into._id, position: 'CEO' });
    const jobFrom = await create(api, 'employment', { person: person._id, organization: from._id, position: 'Founder' });
    const call = await create(api, 'activity', { type: 'call', subject: 'Call the duplicate', status: 'held', heldAt: '2030-01-01T10:00:00.000Z', organization: from._id });
    const meeting = await create(api, 'activity', { type: 'meeting', subject: 'Meet', status: 'planned', plannedStart: '2030-02-01T10:00:00.000Z', organization: into._id });
    return { into, from, person, jobInto, jobFrom, call, meeting };
  }

  it('combines chosen values, fills gaps, re-points employments and activities, deletes the merged record, and traces both histories', async () => {
    const { into, from, jobFrom, call, meeting } = await pair();
    const response = await api.request<MergeAnswer>('POST', `/api/v1/data/organization/${into._id}/merge`, { from: from._id, fields: { phone: 'from', name: 'into' } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const { record, merged, isReplay } = response.body;
    assert.equal(isReplay, false);
    assert.equal(record.name, 'Ромашка', 'name kept (into)');
    assert.equal(record.phone, '+7 495 000-00-02', 'phone taken (from)');
    assert.equal(record.email, 'info@romashka.ru', 'empty email filled from the merged record');
    assert.equal(record.rating, 5);
    assert.equal(record.city, 'Москва', 'a value only the survivor had is kept');
    assert.deepEqual(merged, { from: from._id, into: into._id, repointed: { employment: { organization: 1 }, activity: { organization: 1 } } });

    assert.equal((await api.request('GET', `/api/v1/data/organization/${from._id}`)).status, 404, 'merged record deleted');
    assert.equal((await get<Rec>(api, `/api/v1/data/employment/${jobFrom._id}`)).organization, into._id);
    const movedCall = await get<Rec>(api, `/api/v1/data/activity/${call._id}`);
    assert.equal(movedCall.organization, into._id);
    assert.equal(movedCall.version, 2, 're-pointing is a change like any other');
    assert.equal((await get<Rec>(api, `/api/v1/data/activity/${meeting._id}`)).version, 1, 'untouched records stay untouched');

    const history = await get<History>(api, `/api/v1/data/organization/${into._id}/history`);
    assert.equal(history.items[0]!.op, 'merge');
    assert.deepEqual(history.items[0]!.merge, { from: from._id, into: into._id });
    assert.deepEqual(history.items[0]!.changes.map((c) => c.field).sort(), ['email', 'phone', 'rating']);
    const callHistory = await get<History>(api, `/api/v1/data/activity/${call._id}/history`);
    assert.deepEqual(callHistory.items[0]!.changes, [{ field: 'organization', from: from._id, to: into._id }]);
    assert.equal(callHistory.items[0]!.op, 'merge');
    const fromTrace = await api.database.db.collection('_history').findOne({ recordId: new ObjectId(from._id), op: 'merge' });
    assert.ok(fromTrace, 'the merged record keeps a merge entry too');
    assert.equal(String(fromTrace.merge?.into), into._id);

    const timeline = await get<{ items: Array<{ id: string }> }>(api, `/api/v1/data/organization/${into._id}/timeline`);
    assert.deepEqual(timeline.items.map((item) => item.id).sort(), [call._id, meeting._id].sort(), 'the timeline now shows both');
  });

  it('is idempotent: repeating a finished merge answers the same result and changes nothing', async () => {
    const { into, from } = await pair();
    const first = await api.request<MergeAnswer>('POST', `/api/v1/data/organization/${into._id}/merge`, { from: from._id });
    const again = await api.request<MergeAnswer>('POST', `/api/v1/data/organization/${into._id}/merge`, { from: from._id });
    assert.equal(again.status, 200);
    assert.equal(again.body.isReplay, true);
    assert.equal(again.body.record.version, first.body.record.version);
    assert.deepEqual(again.body.merged, first.body.merged);
    const history = await get<History>(api, `/api/v1/data/organization/${into._id}/history`);
    assert.equal(history.items.filter((item) => item.op === 'merge').length, 1, 'one trace');
    const elsewhere = await create(api, 'organization', { name: 'Third' });
    const conflict = await api.request<{ mergedInto: string }>('POST', `/api/v1/data/organization/${elsewhere._id}/merge`, { from: from._id });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.mergedInto, into._id);
  });

  it('a merge interrupted after re-pointing is finished by retrying it', async () => {
    const { into, from, jobFrom } = await pair();
    // Simulate a crash: the journal was written and references were re-pointed, then the process died.
    const fromStored = await api.database.db.collection('organization').findOne({ _id: new ObjectId(from._id) });
    const { _outbox, _search, _dupKeys, ...snapshot } = fromStored!;
    await api.database.db.collection(MERGES_COLLECTION).insertOne({
      _id: `organization:${from._id}` as unknown as ObjectId,
      entity: 'organization', from: new ObjectId(from._id), into: new ObjectId(into._id), fields: { phone: 'from' }, snapshot, state: 'started', by: null, startedAt: new Date(), repointed: {},
    });
    await api.database.db.collection('employment').updateOne({ _id: new ObjectId(jobFrom._id) }, { $set: { organization: new ObjectId(into._id) } });
    const retry = await api.request<MergeAnswer>('POST', `/api/v1/data/organization/${into._id}/merge`, { from: from._id, fields: { phone: 'into' } });
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body.record.phone, '+7 495 000-00-02', 'the first attempt\'s choices rule');
    assert.deepEqual(retry.body.merged.repointed, { activity: { organization: 1 } });
    assert.equal((await api.request('GET', `/api/v1/data/organization/${from._id}`)).status, 404);
    const again = await api.request<MergeAnswer>('POST', `/api/v1/data/organization/${into._id}/merge`, { from: from._id });
    assert.equal(again.body.isReplay, true);
  });

  it('merging persons re-points single references and reference lists without duplicating ids', async () => {
    const org = await create(api, 'organization', { name: 'Meetings Inc' });
    const keep = await create(api, 'person', { lastName: 'Сидоров', firstName: 'Павел' });
    const dup = await create(api, 'person', { lastName: 'Сидоров', firstName: 'Паша', mobilePhone: '+7 900 111 22 33' });
    const other = await create(api, 'person', { lastName: 'Other' });
    const both = await create(api, 'activity', { type: 'meeting', subject: 'All hands', organization: org._id, person: dup._id, participants: [keep._id, dup._id, other._id] });
    const response = await api.request<MergeAnswer>('POST', `/api/v1/data/person/${keep._id}/merge`, { from: dup._id, fields: { firstName: 'into' } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.record.fullName, 'Сидоров Павел');
    assert.equal(response.body.record.mobilePhone, '+7 900 111 22 33');
    const moved = await get<Rec>(api, `/api/v1/data/activity/${both._id}`);
    assert.equal(moved.person, keep._id);
    assert.deepEqual(moved.participants, [keep._id, other._id]);
    assert.deepEqual(response.body.merged.repointed, { activity: { person: 1, participants: 1 } });
  });

  it('refuses bad requests and changes nothing', async () => {
    const { into, from } = await pair();
    const cases: Array<[unknown, string[]]> = [
      [{}, ['/from']],
      [{ from: 'nope' }, ['/from']],
      [{ from: from._id, fields: { name: 'both', fullName: 'from', ghost: 'into' } }, ['/fields/fullName', '/fields/ghost', '/fields/name']],
      [{ from: into._id }, ['/from']],
      [{ from: from._id, extra: 1 }, ['/extra']],
    ];
    for (const [body, paths] of cases) {
      const response = await api.request<{ errors: Array<{ path: string }> }>('POST', `/api/v1/data/organization/${into._id}/merge`, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.deepEqual(response.body.errors.map((e) => e.path).sort(), paths, JSON.stringify(body));
    }
    const keep = await create(api, 'person', { lastName: 'A' });
    const dup = await create(api, 'person', { lastName: 'B' });
    const computed = await api.request<{ errors: Array<{ path: string; message: string }> }>('POST', `/api/v1/data/person/${keep._id}/merge`, { from: dup._id, fields: { fullName: 'from' } });
    assert.equal(computed.status, 400);
    assert.match(computed.body.errors[0]!.message, /computed/);
    assert.equal((await api.request('POST', `/api/v1/data/organization/${into._id}/merge`, { from: '0123456789abcdef01234567' })).status, 404);
    assert.equal((await api.request('POST', `/api/v1/data/organization/0123456789abcdef01234567/merge`, { from: from._id })).status, 404);
    assert.equal((await get<Rec>(api, `/api/v1/data/organization/${from._id}`)).version, 1);
    assert.equal((await get<Rec>(api, `/api/v1/data/organization/${into._id}`)).version, 1);
  });
});
