/**
 * The rule engine, on the embedded engine in its worker thread (as
 * `npm start` runs it), through the record operations (no HTTP):
 *
 * 1. Event-triggered rules: amount updates of deals, one after another,
 *    each event then run through the rules (an after-hook on the bus),
 *    timed until every handler has finished. 20 enabled rules of every
 *    trigger kind (15 of them watch these events; a few act, most
 *    conditions do not hold), against the baseline of the same updates
 *    with the rules disabled. Figures: events/s and the ratio.
 * 2. A time-based sweep over 100,000 deals (the `rules.schedule` job's
 *    work): the records walked in batches, the condition evaluated per
 *    record, ~1% of them acted on (moved to Stalled, owner told), against
 *    the baseline of reading the same 100,000 deals in the same batches.
 */
import { Decimal128, ObjectId, type Document } from 'mongodb';
import { rmSync } from 'node:fs';
import { systemContext } from '../../core/context.ts';
import { connectDatabase } from '../../core/db/connection.ts';
import { createDocument, updateDocument } from '../../core/metadata/operations/documents.ts';
import { addField } from '../../core/metadata/operations/entities.ts';
import type { RuleDefinition } from '../../core/metadata/types.ts';
import { createLogger } from '../../core/observability/logger.ts';
import { createMetrics } from '../../core/observability/metrics.ts';
import { createPlatform, SHIPPED_APPS_DIR, type Platform } from '../../core/platform.ts';
import { updateRecord } from '../../core/records/operations/update.ts';
import { sweepRule, SWEEP_BATCH } from '../../core/rules/schedule.ts';
import { startEmbeddedMongoInWorker } from '../../plugins/embedded-mongo/thread.ts';
import { makeTempDir } from '../support/engine.ts';
import { formatNumber, printTable } from './report.ts';

const EVENT_DEALS = 2_000;
const EVENTS_PER_ROUND = Number(process.env.BENCH_RULE_EVENTS ?? 600);
const ROUNDS = 3;
const SWEEP_DEALS = 100_000;
const DAY = 86_400_000;

const label = (en: string) => ({ en });

function eventRules(): RuleDefinition[] {
  const rules: RuleDefinition[] = [];
  const thresholds = [100_000, 250_000, 500_000, 750_000, 1_000_000, 2_000_000, 5_000_000, 8_000_000];
  thresholds.forEach((threshold, i) => rules.push({ name: `flag${i}`, label: label(`Flag over ${threshold}`), entity: 'deal', trigger: { kind: 'record', on: ['update'], fields: ['amount'] }, condition: { '>': [{ var: 'amount' }, threshold] }, actions: [{ kind: 'setField', field: 'priority', value: 'high' }], priority: i }));
  for (let i = 0; i < 4; i += 1) rules.push({ name: `stall${i}`, label: label('Stall'), entity: 'deal', trigger: { kind: 'record', on: ['update'], fields: ['amount'] }, condition: { and: [{ '==': [{ var: 'stage' }, 'proposal'] }, { '>': [{ var: '_daysInStage' }, 30 + i] }] }, actions: [{ kind: 'moveToStage', stage: 'stalled' }] });
  for (let i = 0; i < 3; i += 1) rules.push({ name: `won${i}`, label: label('Won'), entity: 'deal', trigger: { kind: 'record', on: ['stageChange'] }, condition: { '==': [{ var: 'stage' }, 'won'] }, actions: [{ kind: 'createActivity', activityType: 'task', subject: label('Thank them') }] });
  for (let i = 0; i < 2; i += 1) rules.push({ name: `fresh${i}`, label: label('Fresh'), entity: 'deal', trigger: { kind: 'record', on: ['create'] }, actions: [{ kind: 'setField', field: 'priority', value: 'normal' }] });
  rules.push({ name: 'meeting', label: label('Meeting'), entity: 'deal', trigger: { kind: 'activity', on: ['complete'], activityTypes: ['meeting'] }, condition: { '==': [{ var: 'stage' }, 'initialCalls'] }, actions: [{ kind: 'moveToStage', stage: 'meetingHeld' }] });
  rules.push({ name: 'quietBig', label: label('Quiet big deal'), entity: 'deal', trigger: { kind: 'record', on: ['update'], fields: ['amount'] }, condition: { and: [{ '>': [{ var: 'amount' }, 9_000_000] }, { '>': [{ var: '_daysSinceActivity' }, 30] }] }, actions: [{ kind: 'notify', to: ['owner'], message: label('A big deal is quiet') }] });
  return rules;
}

function deal(i: number, org: ObjectId, owner: ObjectId, now: number, stage = 'initialCalls', enteredDaysAgo = 1): Document {
  const at = new Date(now - enteredDaysAgo * DAY);
  return {
    _id: new ObjectId(),
    title: `Deal ${i}`,
    organization: org,
    amount: Decimal128.fromString(`${(i % 1000) * 1000}.00`),
    currency: 'RUB',
    stage,
    stageEnteredAt: at,
    owner,
    direction: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: owner,
    updatedBy: owner,
  };
}

async function setEnabled(platform: Platform, names: string[], isEnabled: boolean): Promise<void> {
  for (const name of names) await updateDocument({ ctx: systemContext(), deps: platform.metadata, kind: 'rule', name, patch: { enabled: isEnabled } });
}

async function eventBench(platform: Platform, owner: ObjectId, org: ObjectId): Promise<void> {
  const db = platform.records.db;
  const now = Date.now();
  const docs = Array.from({ length: EVENT_DEALS }, (_, i) => deal(i, org, owner, now, i % 10 === 0 ? 'proposal' : 'initialCalls', i % 10 === 0 ? 40 : 1));
  await db.collection('deal').insertMany(docs);
  const ids = docs.map((doc) => String(doc._id));
  const rules = eventRules();
  for (const rule of rules) await createDocument({ ctx: systemContext(), deps: platform.metadata, kind: 'rule', body: { ...rule, enabled: false } });
  const names = rules.map((rule) => rule.name);
  let n = 0;
  const events = async (isQuiet = false): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < EVENTS_PER_ROUND; i += 1) {
      n += 1;
      // Amounts cross the thresholds up and down; every 50th is a very big one. Quiet: under every threshold.
      const amount = isQuiet ? `${n % 90_000}.00` : n % 50 === 0 ? '9500000.00' : `${((n * 7919) % 3000) * 1000}.00`;
      await updateRecord({ ctx: systemContext(), deps: platform.records, entity: 'deal', id: ids[n % ids.length]!, data: { amount } });
    }
    await platform.bus.drain();
    return (EVENTS_PER_ROUND * 1000) / (performance.now() - started);
  };
  await events(); // warm-up
  const baseline: number[] = [];
  const withRules: number[] = [];
  const quiet: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    baseline.push(await events());
    await setEnabled(platform, names, true);
    withRules.push(await events());
    quiet.push(await events(true));
    await setEnabled(platform, names, false);
  }
  const runs = await db.collection('_rule_runs').countDocuments();
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
  printTable(`event-triggered rules: ${EVENTS_PER_ROUND} deal updates per round, ${ROUNDS} rounds, 20 enabled rules (15 watch these events)`, ['case', 'events/s', 'rule evaluations/s (13 per event)', 'ratio'], [
    ['baseline: same updates, rules disabled', formatNumber(mean(baseline)), '—', '1.00'],
    ['20 enabled rules, some acting (setField, moveToStage, notify)', formatNumber(mean(withRules)), formatNumber(mean(withRules) * 13), (mean(withRules) / mean(baseline)).toFixed(2)],
    ['20 enabled rules, no condition holds', formatNumber(mean(quiet)), formatNumber(mean(quiet) * 13), (mean(quiet) / mean(baseline)).toFixed(2)],
  ]);
  console.log(`(rounds: baseline ${baseline.map((x) => formatNumber(x)).join(', ')}; acting ${withRules.map((x) => formatNumber(x)).join(', ')}; quiet ${quiet.map((x) => formatNumber(x)).join(', ')}; rule runs that acted: ${runs})`);
  await db.collection('deal').deleteMany({});
}

async function sweepBench(platform: Platform, owner: ObjectId): Promise<void> {
  const db = platform.records.db;
  const now = Date.now();
  const orgs = Array.from({ length: 1000 }, (_, i) => ({ _id: new ObjectId(), name: `Org ${i}`, version: 1, createdAt: new Date(now), updatedAt: new Date(now), createdBy: null, updatedBy: null, owner, direction: null }));
  await db.collection('organization').insertMany(orgs);
  let written = 0;
  const started = performance.now();
  for (let i = 0; i < SWEEP_DEALS; i += 5000) {
    // 5% in Proposal, entered 0–40 days ago; every 30th organization has recent activity.
    const batch = Array.from({ length: 5000 }, (_, j) => {
      const k = i + j;
      const isProposal = k % 20 === 0;
      return deal(k, orgs[k % orgs.length]!._id, owner, now, isProposal ? 'proposal' : 'initialCalls', isProposal ? (k / 20) % 40 : 1);
    });
    await db.collection('deal').insertMany(batch);
    written += batch.length;
  }
  const activities = Array.from({ length: 20_000 }, (_, i) => ({ _id: new ObjectId(), type: 'call', subject: 'Call', status: 'held', heldAt: new Date(now - ((i % 60) + 1) * DAY), occurredAt: new Date(now - ((i % 60) + 1) * DAY), organization: orgs[(i * 30) % orgs.length]!._id, owner, direction: null, version: 1, createdAt: new Date(now), updatedAt: new Date(now), createdBy: null, updatedBy: null }));
  await db.collection('activity').insertMany(activities);
  console.log(`\n(${formatNumber(written)} deals, ${formatNumber(activities.length)} activities written in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const entity = platform.registry.entity('deal')!;
  const runtime = platform.rules.runtime;
  const at = new Date();
  const scan = async () => {
    let after: ObjectId | undefined;
    let count = 0;
    for (;;) {
      const batch = await db.collection('deal').find(after ? { _id: { $gt: after } } : {}, { projection: { _search: 0, _outbox: 0 } }).sort({ _id: 1 }).limit(SWEEP_BATCH).toArray();
      if (batch.length === 0) return count;
      count += batch.length;
      after = batch[batch.length - 1]!._id as ObjectId;
    }
  };
  const rule = (name: string, condition: unknown, actions: RuleDefinition['actions']): RuleDefinition => ({ name, label: label(name), entity: 'deal', trigger: { kind: 'schedule', cron: '0 9 * * *', timezone: 'Europe/Moscow' }, condition, actions });
  const stalled = (days: number) => ({ and: [{ '==': [{ var: 'stage' }, 'proposal'] }, { '>': [{ var: '_daysInStage' }, days] }, { or: [{ '==': [{ var: '_daysSinceActivity' }, null] }, { '>': [{ var: '_daysSinceActivity' }, 14] }] }] });
  const move: RuleDefinition['actions'] = [{ kind: 'notify', to: ['owner'], message: label('Stalled') }, { kind: 'moveToStage', stage: 'stalled' }];
  const cases: Array<[string, () => Promise<{ scanned: number; fired: number }>]> = [
    ['baseline: read every deal in the same batches', async () => ({ scanned: await scan(), fired: 0 })],
    ['condition evaluated on every deal (nothing to push down)', () => sweepRule({ runtime, rule: rule('everyDeal', { '>': [{ var: '_daysInStage' }, 1000] }, move), entity, at, mode: 'fire' })],
    ['stage == proposal pushed into the query, dwell evaluated', () => sweepRule({ runtime, rule: rule('dwellOnly', { and: [{ '==': [{ var: 'stage' }, 'proposal'] }, { '>': [{ var: '_daysInStage' }, 1000] }] }, move), entity, at, mode: 'fire' })],
    ['+ _daysSinceActivity for those passing the rest', () => sweepRule({ runtime, rule: rule('quietOnly', stalled(20), move), entity, at, mode: 'plan' })],
    ['the shipped "silent proposal" rule, acting', () => sweepRule({ runtime, rule: rule('silentProposal', stalled(37), move), entity, at, mode: 'fire' })],
  ];
  const rows: string[][] = [];
  let baselineRate = 0;
  for (const [name, op] of cases) {
    const t0 = performance.now();
    const result = await op();
    await platform.bus.drain();
    const seconds = (performance.now() - t0) / 1000;
    // Every case covers all 100,000 deals; the pushed-down ones read only those that can match.
    const rate = SWEEP_DEALS / seconds;
    if (baselineRate === 0) baselineRate = rate;
    rows.push([name, seconds.toFixed(2), formatNumber(rate), formatNumber(result.scanned), formatNumber(result.fired), (rate / baselineRate).toFixed(2)]);
  }
  printTable(`time-based sweep over ${formatNumber(SWEEP_DEALS)} deals (5% in Proposal; batches of ${SWEEP_BATCH})`, ['case', 'time s', 'deals covered/s', 'deals read', 'acted on', 'ratio'], rows);
}

export async function run(): Promise<void> {
  const dataDir = makeTempDir('relata-bench-rules-');
  const engine = await startEmbeddedMongoInWorker({ dataDir, port: 0 });
  const logger = createLogger({ level: 'fatal' });
  const metrics = createMetrics();
  const database = await connectDatabase({ uri: engine.uri, dbName: 'bench', metrics });
  const platform = await createPlatform({ database, logger, metrics, appsDir: SHIPPED_APPS_DIR, auth: { adminEmail: 'bench@relata.local', adminPassword: 'bench-password-1', passwordCost: { logN: 12, r: 8, p: 1 } } });
  try {
    await addField({ ctx: systemContext(), deps: platform.metadata, entity: 'deal', field: { name: 'priority', type: 'enum', label: label('Priority'), options: [{ value: 'normal', label: label('Normal') }, { value: 'high', label: label('High') }] } });
    const owner = new ObjectId();
    await database.db.collection('user').insertOne({ _id: owner, email: 'owner@bench.local', name: 'Owner', roles: ['admin'], directions: [], version: 1, createdAt: new Date(), updatedAt: new Date(), createdBy: null, updatedBy: null });
    const org = new ObjectId();
    await database.db.collection('organization').insertOne({ _id: org, name: 'Bench Ltd', version: 1, createdAt: new Date(), updatedAt: new Date(), createdBy: null, updatedBy: null, owner, direction: null });
    await eventBench(platform, owner, org);
    await sweepBench(platform, owner);
  } finally {
    await platform.close();
    await database.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
