/**
 * Metadata engine benchmarks:
 * 1. validation throughput of a compiled 30-field entity schema, against a
 *    hand-written check of the same 30 fields (the baseline);
 * 2. metadata reload time for 200 entities, against a plain driver read of
 *    the same documents (the baseline).
 */
import { rmSync } from 'node:fs';
import { connectDatabase } from '../../core/db/connection.ts';
import { MetadataRegistry } from '../../core/metadata/registry.ts';
import { MetadataStore } from '../../core/metadata/store.ts';
import type { EntityDefinition, FieldDefinition } from '../../core/metadata/types.ts';
import { compileValidators } from '../../core/metadata/validators.ts';
import { createLogger } from '../../core/observability/logger.ts';
import { startEmbeddedMongo } from '../../plugins/embedded-mongo/index.ts';
import { makeTempDir } from '../support/engine.ts';

function entityWith30Fields(name: string): EntityDefinition {
  const fields: FieldDefinition[] = [];
  for (let i = 0; i < 10; i += 1) fields.push({ name: `text${i}`, type: 'text', label: { en: `Text ${i}` }, maxLength: 200, required: i === 0 });
  for (let i = 0; i < 8; i += 1) fields.push({ name: `num${i}`, type: 'number', label: { en: `Number ${i}` }, min: 0, max: 1_000_000 });
  for (let i = 0; i < 4; i += 1) fields.push({ name: `flag${i}`, type: 'boolean', label: { en: `Flag ${i}` } });
  for (let i = 0; i < 4; i += 1) fields.push({ name: `kind${i}`, type: 'enum', label: { en: `Kind ${i}` }, options: [{ value: 'a', label: { en: 'A' } }, { value: 'b', label: { en: 'B' } }] });
  fields.push({ name: 'email', type: 'email', label: { en: 'Email' } });
  fields.push({ name: 'since', type: 'date', label: { en: 'Since' } });
  fields.push({ name: 'budget', type: 'money', label: { en: 'Budget' } });
  fields.push({ name: 'site', type: 'url', label: { en: 'Site' } });
  return { name, label: { en: name }, fields };
}

function sampleRecord(i: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let f = 0; f < 10; f += 1) record[`text${f}`] = `value ${f} ${i}`;
  for (let f = 0; f < 8; f += 1) record[`num${f}`] = (i * (f + 1)) % 1_000_000;
  for (let f = 0; f < 4; f += 1) record[`flag${f}`] = (i + f) % 2 === 0;
  for (let f = 0; f < 4; f += 1) record[`kind${f}`] = (i + f) % 2 ? 'a' : 'b';
  record.email = `user${i}@example.com`;
  record.since = '2024-02-29';
  record.budget = '1234.50';
  record.site = 'https://example.com/x';
  return record;
}

/** The baseline: the same 30 checks written by hand for this one shape. */
function handWritten(record: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (let f = 0; f < 10; f += 1) {
    const v = record[`text${f}`];
    if (v !== undefined && (typeof v !== 'string' || v.length > 200)) errors.push(`/text${f}`);
  }
  for (let f = 0; f < 8; f += 1) {
    const v = record[`num${f}`];
    if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1_000_000)) errors.push(`/num${f}`);
  }
  for (let f = 0; f < 4; f += 1) if (record[`flag${f}`] !== undefined && typeof record[`flag${f}`] !== 'boolean') errors.push(`/flag${f}`);
  for (let f = 0; f < 4; f += 1) if (record[`kind${f}`] !== undefined && record[`kind${f}`] !== 'a' && record[`kind${f}`] !== 'b') errors.push(`/kind${f}`);
  if (typeof record.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(record.email)) errors.push('/email');
  if (typeof record.since !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(record.since)) errors.push('/since');
  if (typeof record.budget !== 'string' || !/^-?\d{1,18}(\.\d{1,2})?$/.test(record.budget)) errors.push('/budget');
  if (typeof record.site !== 'string' || !/^https?:\/\//.test(record.site)) errors.push('/site');
  for (const key of Object.keys(record)) if (!/^(text\d|num\d|flag\d|kind\d|email|since|budget|site)$/.test(key)) errors.push(`/${key}`);
  return errors;
}

function rate(fn: (i: number) => unknown, iterations: number): number {
  for (let i = 0; i < 2000; i += 1) fn(i); // warm-up
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) fn(i);
  return iterations / ((performance.now() - started) / 1000);
}

export async function run(): Promise<void> {
  const def = entityWith30Fields('bench');
  const validators = compileValidators(def, 1);
  const records = Array.from({ length: 1000 }, (_, i) => sampleRecord(i));
  const iterations = 200_000;
  const compiled = rate((i) => validators.create(records[i % 1000]!), iterations);
  const baseline = rate((i) => handWritten(records[i % 1000]!), iterations);
  console.log('\n## Metadata: compiled validation (30-field entity)');
  console.log('| figure | value | baseline (hand-written) | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| validations/s | ${compiled.toFixed(0)} | ${baseline.toFixed(0)} | ${(compiled / baseline).toFixed(2)} |`);

  const dataDir = makeTempDir('relata-bench-meta-');
  const engine = await startEmbeddedMongo({ dataDir, port: 0 });
  const database = await connectDatabase({ uri: engine.uri, dbName: 'benchmeta' });
  const store = new MetadataStore(database.db);
  await store.ensureIndexes();
  for (let i = 0; i < 200; i += 1) {
    const entity = entityWith30Fields(`entity${i}`);
    await store.write({ kind: 'entity', name: entity.name, definition: entity, expectedRevision: null, op: 'create', by: 'bench', previous: null });
  }
  const registry = new MetadataRegistry(store, createLogger({ level: 'silent' }));
  const timings: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < 20; round += 1) {
    let started = performance.now();
    await registry.refresh(true);
    timings.push(performance.now() - started);
    started = performance.now();
    await database.db.collection('_meta').find({}).toArray();
    raw.push(performance.now() - started);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log('\n## Metadata: reload of 200 entities (median of 20)');
  console.log('| figure | value | baseline (driver find of the same documents) | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| reload ms | ${median(timings).toFixed(1)} | ${median(raw).toFixed(1)} | ${(median(timings) / median(raw)).toFixed(2)} |`);
  console.log(`(registry has ${registry.snapshot.entities.size} entities; target: well under the 2 s distribution budget)`);
  await database.close();
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
}
