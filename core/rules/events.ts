/**
 * Event-triggered rules, run after a record write (an after-hook on the
 * event bus: it never undoes the write). For an event on entity E:
 * - record rules watching E, when the event kind (and changed fields) match;
 * - activity rules of other entities, when E is an activity entity linked
 *   to them and the item was created or completed (entered a done status):
 *   the rule's records are those related to the item (see related.ts).
 * Rules run one after another in priority order, each on the record as it
 * is by then; the key of the event makes each fire at most once. Events of
 * rule chains deeper than MAX_RULE_DEPTH are not acted on but reported.
 */
import { ObjectId } from 'mongodb';
import type { RecordEvent } from '../events/bus.ts';
import { recordCollectionName } from '../metadata/collections.ts';
import type { EntityDefinition, RuleDefinition } from '../metadata/types.ts';
import type { StoredState } from './actions/types.ts';
import { fireRule } from './fire.ts';
import { relatedRecords } from './related.ts';
import { doneStatuses, type ActivityLink } from './relations.ts';
import { qualifying } from './evaluate.ts';
import type { RuleEvent } from './rule-data.ts';
import { byPriority, ruleSet } from './rule-set.ts';
import { MAX_RULE_DEPTH, type RuleRuntime } from './runtime.ts';
import { RULE_REPORTS_COLLECTION, type RuleReport } from './store.ts';

interface Candidate {
  rule: RuleDefinition;
  event: RuleEvent;
  link?: ActivityLink;
}

/** The record-trigger events an event counts as. */
function recordEvents(event: RecordEvent): RuleEvent[] {
  if (event.kind === 'created') return ['create'];
  if (event.kind === 'deleted') return ['delete'];
  return event.changedFields.includes('stage') ? ['update', 'stageChange'] : ['update'];
}

function matchesRecordTrigger(rule: RuleDefinition, event: RecordEvent): RuleEvent | undefined {
  const trigger = rule.trigger;
  if (trigger.kind !== 'record') return undefined;
  for (const kind of recordEvents(event)) {
    if (!trigger.on.includes(kind as 'create')) continue;
    if (kind === 'update' && trigger.fields && !trigger.fields.some((field) => event.changedFields.includes(field))) continue;
    return kind;
  }
  return undefined;
}

/** create and/or complete, for an event on an activity entity. */
function activityEvents(event: RecordEvent, link: ActivityLink): Array<'create' | 'complete'> {
  const status = link.options.statusField;
  const done = doneStatuses(link);
  const isDone = (record: Record<string, unknown> | undefined) => status !== undefined && record !== undefined && done.includes(String(record[status]));
  if (event.kind === 'created') return isDone(event.record) ? ['create', 'complete'] : ['create'];
  if (event.kind === 'updated' && status && event.changedFields.includes(status) && isDone(event.record) && !isDone(event.previous)) return ['complete'];
  return [];
}

function matchesActivityTrigger(rule: RuleDefinition, event: RecordEvent, link: ActivityLink): RuleEvent | undefined {
  const trigger = rule.trigger;
  if (trigger.kind !== 'activity') return undefined;
  const typeField = link.options.typeField;
  if (trigger.activityTypes && (!typeField || !trigger.activityTypes.includes(String(event.record[typeField])))) return undefined;
  return activityEvents(event, link).find((kind) => trigger.on.includes(kind));
}

export function candidatesFor(runtime: RuleRuntime, event: RecordEvent): Candidate[] {
  const set = ruleSet(runtime.records.registry.snapshot);
  const out: Candidate[] = [];
  for (const rule of set.byRecordEntity.get(event.entity) ?? []) {
    const kind = matchesRecordTrigger(rule, event);
    if (kind) out.push({ rule, event: kind });
  }
  for (const { rule, link } of set.byActivityEntity.get(event.entity) ?? []) {
    const kind = matchesActivityTrigger(rule, event, link);
    if (kind) out.push({ rule, event: kind, link });
  }
  return out.sort((a, b) => byPriority(a.rule, b.rule));
}

export async function handleRecordEvent(runtime: RuleRuntime, event: RecordEvent, now = new Date()): Promise<void> {
  const candidates = candidatesFor(runtime, event);
  if (candidates.length === 0) return;
  if (event.ruleDepth >= MAX_RULE_DEPTH) {
    await reportDepthLimit(runtime, event, candidates);
    return;
  }
  const snapshot = runtime.records.registry.snapshot;
  const load = async (entity: string, id: ObjectId) => (await runtime.records.db.collection(recordCollectionName(entity)).findOne({ _id: id }, { projection: { _search: 0, _outbox: 0 } })) as StoredState | null;
  /** Records a rule changed are read again before the next rule looks at them. */
  const changed = new Set<string>();
  for (const candidate of candidates) {
    const entity = snapshot.entities.get(candidate.rule.entity);
    if (!entity) continue;
    const base = `${candidate.event}:${event.entity}:${event.id}:v${event.version}`;
    if (!candidate.link) {
      let record: StoredState | null = event.record as StoredState;
      if (event.kind !== 'deleted' && changed.has(event.id)) record = await load(entity.name, new ObjectId(event.id));
      if (!record) continue;
      const fired = await evaluateAndFire(runtime, { rule: candidate.rule, entity, record, now, key: base, depth: event.ruleDepth, event: candidate.event, changed: event.changedFields, previous: event.previous });
      if (fired) changed.add(event.id);
      continue;
    }
    for (const record of await relatedRecords({ deps: runtime.records, rule: candidate.rule, link: candidate.link, entity, activity: event.record })) {
      const id = String(record._id);
      const current = changed.has(id) ? await load(entity.name, record._id) : record;
      if (!current) continue;
      const fired = await evaluateAndFire(runtime, { rule: candidate.rule, entity, record: current, now, key: `${base}:${id}`, depth: event.ruleDepth, event: candidate.event, activity: event.record });
      if (fired) changed.add(id);
    }
  }
}

/** Evaluates the condition and fires; true when something was done. */
async function evaluateAndFire(
  runtime: RuleRuntime,
  input: { rule: RuleDefinition; entity: EntityDefinition; record: StoredState; now: Date; key: string; depth: number; event: RuleEvent; changed?: string[]; previous?: Record<string, unknown>; activity?: Record<string, unknown> },
): Promise<boolean> {
  const { rule, entity, record, now } = input;
  const [qualified] = await qualifying({ runtime, rule, entity, items: [{ record, moment: { now, event: input.event, changed: input.changed, previous: input.previous, activity: input.activity } }] });
  if (!qualified) return false;
  const result = await fireRule({ runtime, rule, entity, record, data: qualified.data, now, key: input.key, depth: input.depth });
  return result.status === 'done';
}

async function reportDepthLimit(runtime: RuleRuntime, event: RecordEvent, candidates: Candidate[]): Promise<void> {
  const report: RuleReport = {
    kind: 'depthLimit',
    at: new Date(),
    entity: event.entity,
    recordId: event.id,
    event: `${event.kind}:v${event.version}`,
    depth: event.ruleDepth,
    rules: [...new Set(candidates.map((candidate) => candidate.rule.name))],
    requestId: event.requestId,
  };
  runtime.logger.warn(report, `rule chain cut at depth ${MAX_RULE_DEPTH}`);
  await runtime.records.db.collection<RuleReport>(RULE_REPORTS_COLLECTION).insertOne(report);
}
