/**
 * The real entry points, as deployed: `npm start` (main.ts, workers
 * in-process) and `npm run worker` (workers/main.ts) on one database, with
 * SMTP_URL pointing at a real SMTP server started by the test. Reminders of
 * activities created through the API reach the responsible employee once —
 * by e-mail and in the notification inbox — although two worker runtimes in
 * two processes compete for them; both processes shut down cleanly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, ObjectId } from 'mongodb';
import { startSmtpSink, type SmtpSink } from '../email/smtp-sink.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { spawnScript, type RunningProcess } from '../support/process.ts';

const ADMIN = { email: 'admin@relata.test', password: 'admin-password-1' };

describe('npm start and npm run worker deliver reminders once', () => {
  let engine: TestEngine;
  let sink: SmtpSink;
  let client: MongoClient;
  const dbName = `procs_${new ObjectId().toHexString()}`;
  const running: RunningProcess[] = [];

  before(async () => {
    engine = await startTestEngine();
    sink = await startSmtpSink();
    client = await new MongoClient(engine.uri).connect();
  });
  after(async () => {
    for (const process of running) if (process.child.exitCode === null) process.child.kill('SIGKILL');
    await client.close();
    await sink.close();
    await engine.dispose();
  });

  it('refuses to start a worker process without MONGODB_URI', async () => {
    const worker = spawnScript('workers/main.ts', { MONGODB_URI: '' });
    const exit = await worker.exited;
    assert.equal(exit.code, 78);
    assert.match(worker.stderr.join('\n'), /MONGODB_URI is required by `npm run worker`/);
  });

  it('an API process with in-process workers and a worker process send each reminder once, e-mail and notification', async () => {
    const env = { MONGODB_URI: engine.uri, RELATA_DB_NAME: dbName, SMTP_URL: `${sink.url}?from=crm@relata.test`, RELATA_SHUTDOWN_GRACE_SECONDS: '5' };
    const api = spawnScript('main.ts', { ...env, PORT: '0', HOST: '127.0.0.1', RELATA_WORKERS: 'true', RELATA_ADMIN_EMAIL: ADMIN.email, RELATA_ADMIN_PASSWORD: ADMIN.password });
    running.push(api);
    const listening = await api.waitForLine(/Relata listening/, 60_000);
    const port = (JSON.parse(listening) as { port: number }).port;
    const worker = spawnScript('workers/main.ts', env);
    running.push(worker);
    await worker.waitForLine(/workers started/, 60_000);

    const call = async <T>(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: T }> => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as T };
    };
    const login = async (email: string, password: string) => (await call<{ token: string }>('POST', '/api/v1/auth/login', undefined, { email, password })).body.token;
    const admin = await login(ADMIN.email, ADMIN.password);
    const role = await call('POST', '/api/v1/meta/roles', admin, { name: 'staff', label: { en: 'Staff' }, allDirections: true, permissions: { activity: ['read'] } });
    assert.equal(role.status, 201, JSON.stringify(role.body));
    const user = await call<{ _id: string }>('POST', '/api/v1/data/user', admin, { email: 'anna@example.com', name: 'Anna', password: 'anna password 1', roles: ['staff'] });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    await client.db(dbName).collection('user').updateOne({ _id: new ObjectId(user.body._id) }, { $set: { reminderLeadMinutes: 1 } });
    const anna = await login('anna@example.com', 'anna password 1');

    const COUNT = 4;
    const before = sink.messages.length;
    for (let i = 0; i < COUNT; i++) {
      const start = new Date(Date.now() + 60_000 + 2000 + i * 300); // due in about 2 seconds (lead 1 minute)
      const created = await call('POST', '/api/v1/data/activity', admin, { type: 'call', subject: `Call ${i}`, status: 'planned', plannedStart: start.toISOString(), owner: user.body._id });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    await sink.waitForMessages(before + COUNT, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would arrive now
    const mails = sink.messages.slice(before);
    assert.equal(mails.length, COUNT, 'one e-mail per reminder');
    assert.deepEqual(mails.map((mail) => mail.subject?.replace(/ at .*/, '')).sort(), ['Reminder: Call 0', 'Reminder: Call 1', 'Reminder: Call 2', 'Reminder: Call 3']);
    assert.ok(mails.every((mail) => mail.to[0] === 'anna@example.com' && mail.from === 'crm@relata.test'));

    const inbox = await call<{ items: Array<{ kind: string; title: string }>; total: number }>('GET', '/api/v1/notifications?unread=true', anna);
    assert.equal(inbox.status, 200);
    assert.equal(inbox.body.total, COUNT);
    assert.deepEqual(inbox.body.items.map((item) => item.kind), ['reminder', 'reminder', 'reminder', 'reminder']);

    const db = client.db(dbName);
    const collections = (await db.listCollections().toArray()).map((info) => info.name);
    assert.ok(collections.includes('_jobs') && !collections.includes('agendaJobs'), `Agenda keeps its jobs in _jobs: ${collections.join(', ')}`);
    assert.equal(await db.collection('_jobs').countDocuments({ name: 'reminders.sweep' }), 1, 'one periodic sweep for all processes');

    for (const process of [api, worker]) process.child.kill('SIGTERM');
    const exits = await Promise.all([api.exited, worker.exited]);
    assert.deepEqual(exits.map((exit) => exit.code), [0, 0]);
    assert.ok(worker.stdout.some((line) => line.includes('worker shutdown complete')));
    assert.equal(await db.collection('_jobs').countDocuments({ lockedAt: { $ne: null } }), 0, 'no job left locked');
  });
});
