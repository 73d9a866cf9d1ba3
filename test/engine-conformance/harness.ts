/**
 * Shared plumbing for the engine conformance suite: one engine per test file,
 * reached only through the official driver, plus assertions for server errors.
 * The expected values in the suite are MongoDB 7.0's documented behaviour.
 */
import assert from 'node:assert/strict';
import { MongoClient, MongoServerError, type Db, type Document, type MongoClientOptions } from 'mongodb';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

export interface Harness {
  engine: TestEngine;
  client: MongoClient;
  db: Db;
}

export async function openHarness(dbName: string, options: MongoClientOptions = {}): Promise<Harness> {
  const engine = await startTestEngine();
  const client = new MongoClient(engine.uri, { serverSelectionTimeoutMS: 5000, ...options });
  try {
    await client.connect();
  } catch (error) {
    await engine.dispose();
    throw error;
  }
  return { engine, client, db: client.db(dbName) };
}

export async function closeHarness(harness: Harness | undefined): Promise<void> {
  if (!harness) return;
  await harness.client.close();
  await harness.engine.dispose();
}

function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return String(value);
}

/**
 * Awaits the operation and asserts it failed with a MongoServerError of the
 * given code (and codeName when given). Returns the error for further checks.
 */
export async function expectServerError(
  operation: Promise<unknown> | (() => Promise<unknown>),
  code: number,
  codeName?: string,
): Promise<MongoServerError> {
  let caught: unknown;
  let hasFailed = false;
  try {
    await (typeof operation === 'function' ? operation() : operation);
  } catch (error) {
    caught = error;
    hasFailed = true;
  }
  assert.ok(hasFailed, `expected MongoServerError ${code}${codeName ? ` ${codeName}` : ''}, but the operation succeeded`);
  assert.ok(caught instanceof MongoServerError, `expected MongoServerError ${code}, got ${describeValue(caught)}`);
  assert.equal(caught.code, code, `expected code ${code}, got ${String(caught.code)} (${String(caught.codeName)}): ${caught.message}`);
  if (codeName !== undefined) assert.equal(caught.codeName, codeName, caught.message);
  return caught;
}

/** Asserts the operation was refused by the server, whatever the code. */
export async function expectAnyServerError(operation: () => Promise<unknown>): Promise<MongoServerError> {
  let caught: unknown;
  let hasFailed = false;
  try {
    await operation();
  } catch (error) {
    caught = error;
    hasFailed = true;
  }
  assert.ok(hasFailed, 'expected the server to refuse the operation, but it succeeded');
  assert.ok(caught instanceof MongoServerError, `expected MongoServerError, got ${describeValue(caught)}`);
  assert.equal(typeof caught.code, 'number', 'a server error carries a numeric code');
  return caught;
}

/** The `_id`s of documents, in order. */
export function idsOf(docs: readonly Document[]): unknown[] {
  return docs.map((doc) => doc._id);
}

/** The BSON type name of a value as the driver decoded it (for assertion messages). */
export function bsonTypeOf(value: unknown): string {
  if (value !== null && typeof value === 'object' && '_bsontype' in value) return String(value._bsontype);
  return value === null ? 'null' : typeof value;
}
