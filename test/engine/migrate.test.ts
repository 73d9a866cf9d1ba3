/**
 * `npm run db:migrate`: the CLI copies every database, collection (with options), document and
 * index from an engine's data folder to another deployment (a second engine stands in for
 * MongoDB), keeping BSON types, and refuses what it must refuse without touching the target.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BSON, Binary, Decimal128, Double, Int32, Long, MongoClient, ObjectId, type Document,
} from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../plugins/embedded-mongo/index.ts';
import { makeTempDir, startTestEngine, type TestEngine } from '../support/engine.ts';
import { REPO_ROOT } from '../support/process.ts';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(script: 'migrate-cli.ts' | 'backup-cli.ts', args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', `plugins/embedded-mongo/${script}`, ...args], { cwd: REPO_ROOT },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
  });
}

const PEOPLE = 2500; // more than two migration batches of 1000
const TEN_YEARS = 10 * 365 * 24 * 3600;

function person(i: number): Document {
  return {
    _id: new ObjectId(),
    email: `person${i}@example.org`,
    lastName: `Last${i % 37}`,
    firstName: `First${i}`,
    born: new Date(Date.UTC(1950, 0, 1) + i * 86400000),
    balance: Decimal128.fromString(`${i}.${String(i % 100).padStart(2, '0')}`),
    visits: Long.fromNumber(i),
    huge: Long.fromString('9007199254740993').add(i),
    count: new Int32(i),
    ratio: new Double(i % 2 === 0 ? 2 : 0.5), // an integral double must stay a double
    tags: [[`t${i % 3}`, i], [[true, null], { deep: [Decimal128.fromString('0.1')] }]],
    address: { city: `City${i % 5}`, lines: ['a', 'b'], geo: { lat: 1.25, lng: -3 } },
    isActive: i % 2 === 0,
    blob: new Binary(Buffer.from([i % 256, 1, 2])),
    expiresAt: new Date(Date.now() + 3600_000),
    ...(i % 10 === 0 ? { nickname: `nick${i}` } : {}),
    ...(i % 4 === 0 ? { code: `C${i}` } : {}),
  };
}

async function populate(client: MongoClient): Promise<void> {
  const crm = client.db('crm');
  await crm.collection('people').insertMany(Array.from({ length: PEOPLE }, (_, i) => person(i)));
  await crm.collection('people').createIndexes([
    { key: { email: 1 }, name: 'email_unique', unique: true },
    { key: { lastName: 1, firstName: -1 }, name: 'by_name' },
    { key: { nickname: 1 }, name: 'nickname_sparse', sparse: true },
    { key: { code: 1 }, name: 'code_partial_unique', unique: true, partialFilterExpression: { code: { $exists: true } } },
    { key: { expiresAt: 1 }, name: 'expires_ttl', expireAfterSeconds: TEN_YEARS },
  ]);
  await crm.createCollection('notes', { validator: { text: { $type: 'string' } } });
  await crm.collection('notes').insertMany([{ _id: 1, text: 'first' }, { _id: 2, text: 'second', at: new Date(0) }] as never);
  const billing = client.db('billing');
  await billing.collection('invoices').insertMany(Array.from({ length: 300 }, (_, i): Document => ({
    _id: `INV-${i}`,
    total: Decimal128.fromString(`${i * 7}.99`),
    lines: [{ sku: 'a', qty: new Int32(1) }, { sku: 'b', qty: new Int32(i), price: Decimal128.fromString('1.10') }],
    seq: Long.fromNumber(i * 1000),
  })));
  await billing.createCollection('empty_but_indexed');
  await billing.collection('empty_but_indexed').createIndex({ ref: 1 }, { unique: true, name: 'ref_unique' });
}

/** The BSON type a value was decoded as (class name for BSON wrappers, Date, or typeof). */
function bsonType(value: unknown): string {
  if (value instanceof Date) return 'Date';
  const tag = (value as { _bsontype?: unknown } | null)?._bsontype;
  return typeof tag === 'string' ? tag : typeof value;
}

interface CollectionSnapshot {
  options: Document;
  indexes: Document[];
  docs: string[];
}

/** Everything the migration must reproduce, in a form where any type change shows as a difference. */
async function snapshot(client: MongoClient): Promise<Record<string, CollectionSnapshot>> {
  const out: Record<string, CollectionSnapshot> = {};
  const { databases } = await client.db('admin').admin().listDatabases();
  for (const { name: dbName } of databases) {
    if (['admin', 'local', 'config'].includes(dbName)) continue;
    const db = client.db(dbName);
    for (const info of await db.listCollections().toArray()) {
      const coll = db.collection(info.name);
      const indexes = (await coll.listIndexes().toArray())
        .map(({ v: _v, ns: _ns, ...spec }) => spec)
        .sort((a, b) => String(a.name).localeCompare(String(b.name)));
      const docs = await coll.find({}, { promoteValues: false, promoteLongs: false, bsonRegExp: true }).sort({ _id: 1 }).toArray();
      out[`${dbName}.${info.name}`] = {
        options: 'options' in info ? (info.options ?? {}) : {},
        indexes,
        docs: docs.map((doc) => BSON.EJSON.stringify(doc, { relaxed: false })),
      };
    }
  }
  return out;
}

describe('db:migrate to a second engine standing in for MongoDB', () => {
  let sourceDir: string;
  let target: TestEngine;
  let targetClient: MongoClient;
  before(async () => {
    sourceDir = makeTempDir('relata-migrate-src-');
    const source = await startEmbeddedMongo({ dataDir: sourceDir, port: 0 });
    const client = await new MongoClient(source.uri).connect();
    await populate(client);
    await client.close();
    await source.close();
    target = await startTestEngine();
    targetClient = await new MongoClient(target.uri).connect();
  });
  after(async () => {
    await targetClient.close();
    await target.dispose();
    rmSync(sourceDir, { recursive: true, force: true });
  });

  /** Starts an engine on the source folder for the duration of fn. */
  async function withSource<T>(fn: (client: MongoClient, engine: EmbeddedMongo) => Promise<T>): Promise<T> {
    const engine = await startEmbeddedMongo({ dataDir: sourceDir, port: 0 });
    const client = await new MongoClient(engine.uri).connect();
    try {
      return await fn(client, engine);
    } finally {
      await client.close();
      await engine.close();
    }
  }

  it('copies every database, collection with its options, document with its BSON types, and index', async () => {
    const res = await cli('migrate-cli.ts', ['--dbpath', sourceDir, '--to', target.uri]);
    assert.equal(res.code, 0, res.stderr + res.stdout);
    assert.match(res.stdout, /counts and indexes verified/);
    assert.match(res.stdout, /crm\.people \| collection \| 2500 \| 2500 \| 5 \| yes/);

    const expected = await withSource((client) => snapshot(client));
    const actual = await snapshot(targetClient);
    assert.deepEqual(Object.keys(actual).sort(), ['billing.empty_but_indexed', 'billing.invoices', 'crm.notes', 'crm.people']);
    assert.equal(actual['crm.people'].docs.length, PEOPLE);
    for (const ns of Object.keys(expected)) {
      assert.deepEqual(actual[ns].options, expected[ns].options, `${ns} options`);
      assert.deepEqual(actual[ns].indexes, expected[ns].indexes, `${ns} indexes`);
      assert.deepEqual(actual[ns].docs, expected[ns].docs, `${ns} documents`);
    }
    assert.deepEqual(actual['crm.notes'].options, { validator: { text: { $type: 'string' } } });

    const byName = Object.fromEntries(actual['crm.people'].indexes.map((spec) => [spec.name, spec]));
    assert.deepEqual(byName.email_unique, { key: { email: 1 }, name: 'email_unique', unique: true });
    assert.deepEqual(byName.by_name.key, { lastName: 1, firstName: -1 });
    assert.equal(byName.nickname_sparse.sparse, true);
    assert.deepEqual(byName.code_partial_unique.partialFilterExpression, { code: { $exists: true } });
    assert.equal(byName.code_partial_unique.unique, true);
    assert.equal(byName.expires_ttl.expireAfterSeconds, TEN_YEARS);
    assert.equal(actual['billing.empty_but_indexed'].indexes.find((s) => s.name === 'ref_unique')?.unique, true);

    // The types themselves, not only source == target.
    const doc = await targetClient.db('crm').collection('people').findOne({ email: 'person7@example.org' }, { promoteValues: false, promoteLongs: false });
    assert.ok(doc, 'person7 is on the target');
    const kinds = {
      _id: bsonType(doc._id), born: bsonType(doc.born), balance: bsonType(doc.balance), visits: bsonType(doc.visits),
      huge: bsonType(doc.huge), ratio: bsonType(doc.ratio), count: bsonType(doc.count), deep: bsonType(doc.tags[1][1].deep[0]),
    };
    assert.deepEqual(kinds, {
      _id: 'ObjectId', born: 'Date', balance: 'Decimal128', visits: 'Long', huge: 'Long', ratio: 'Double', count: 'Int32', deep: 'Decimal128',
    });
    assert.deepEqual(
      [String(doc.balance), String(doc.visits), String(doc.huge), Number(doc.ratio)],
      ['7.07', '7', '9007199254741000', 0.5],
    );
    // The unique index is enforced on the target, not merely listed.
    await assert.rejects(targetClient.db('crm').collection('people').insertOne({ email: 'person7@example.org' }), { code: 11000 });
  });

  it('refuses to overwrite a non-empty target collection, writing nothing; --drop-target replaces it', async () => {
    await targetClient.db('billing').collection('invoices').drop();
    await targetClient.db('crm').collection('people').insertOne({ email: 'only-on-target@example.org' });
    const refused = await cli('migrate-cli.ts', ['--dbpath', sourceDir, '--to', target.uri]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already holds documents in .*crm\.people.*nothing was copied.*--drop-target/);
    assert.equal(await targetClient.db('crm').collection('people').countDocuments(), PEOPLE + 1);
    const invoices = await targetClient.db('billing').listCollections({ name: 'invoices' }).toArray();
    assert.equal(invoices.length, 0, 'the preflight ran before anything was written');

    const replaced = await cli('migrate-cli.ts', ['--dbpath', sourceDir, '--to', target.uri, '--drop-target']);
    assert.equal(replaced.code, 0, replaced.stderr + replaced.stdout);
    assert.equal(await targetClient.db('crm').collection('people').countDocuments(), PEOPLE);
    assert.equal(await targetClient.db('crm').collection('people').countDocuments({ email: 'only-on-target@example.org' }), 0);
    assert.equal(await targetClient.db('billing').collection('invoices').countDocuments(), 300);
  });

  it('refuses a data folder an engine is running on, and migrates a backup of it instead', async () => {
    const work = makeTempDir('relata-migrate-backup-');
    const second = await startTestEngine();
    const secondClient = await new MongoClient(second.uri).connect();
    try {
      await withSource(async () => {
        const locked = await cli('migrate-cli.ts', ['--dbpath', sourceDir, '--to', second.uri]);
        assert.equal(locked.code, 1);
        assert.match(locked.stderr, /in use by a running engine.*--from-backup/);
        assert.deepEqual((await secondClient.db('admin').admin().listDatabases()).databases.filter((d) => d.name === 'crm'), []);
        const snap = path.join(work, 'snap.sqlite3');
        assert.equal((await cli('backup-cli.ts', ['--dbpath', sourceDir, '--out', snap])).code, 0);
        const fromBackup = await cli('migrate-cli.ts', ['--from-backup', snap, '--to', second.uri]);
        assert.equal(fromBackup.code, 0, fromBackup.stderr + fromBackup.stdout);
      });
      assert.equal(await secondClient.db('crm').collection('people').countDocuments(), PEOPLE);
      assert.equal(await secondClient.db('billing').collection('invoices').countDocuments(), 300);
    } finally {
      await secondClient.close();
      await second.dispose();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('refuses bad arguments with exit code 2 and the usage text', async () => {
    const [noTarget, badUri, bothSources] = await Promise.all([
      cli('migrate-cli.ts', ['--dbpath', sourceDir]),
      cli('migrate-cli.ts', ['--dbpath', sourceDir, '--to', 'http://example.org']),
      cli('migrate-cli.ts', ['--dbpath', sourceDir, '--from-backup', 'x', '--to', target.uri]),
    ]);
    for (const res of [noTarget, badUri, bothSources]) {
      assert.equal(res.code, 2);
      assert.match(res.stderr, /usage:/);
    }
    assert.match(noTarget.stderr, /--to is required/);
    assert.match(badUri.stderr, /mongodb:\/\//);
    assert.match(bothSources.stderr, /exactly one of --dbpath and --from-backup/);
  });
});
