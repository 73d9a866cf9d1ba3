/**
 * Evaluating a rule's condition over records at one moment: the data each
 * record presents (rule-data.ts), with `_daysSinceActivity` computed by one
 * batched query — and only for the records that pass the rest of a
 * top-level `and` first (pushdown.ts), since that query is the costly part.
 */
import type { EntityDefinition, RuleDefinition } from '../metadata/types.ts';
import type { StoredState } from './actions/types.ts';
import { lastActivityDates } from './activity-recency.ts';
import { cheapConjuncts } from './pushdown.ts';
import { conditionHolds, ruleData, type RuleMoment } from './rule-data.ts';
import { namesRead } from './rule-set.ts';
import type { RuleRuntime } from './runtime.ts';

export interface Qualified {
  record: StoredState;
  data: Record<string, unknown>;
}

type Moment = Omit<RuleMoment, 'record' | 'lastActivityAt'>;

export async function qualifying(input: { runtime: RuleRuntime; rule: RuleDefinition; entity: EntityDefinition; items: ReadonlyArray<{ record: StoredState; moment: Moment }> }): Promise<Qualified[]> {
  const { runtime, rule, entity } = input;
  let items = input.items;
  let recency: Map<string, Date> | undefined;
  if (namesRead(rule).has('_daysSinceActivity') && items.length > 0) {
    const cheap = cheapConjuncts(rule);
    if (cheap) items = items.filter(({ record, moment }) => conditionHolds({ ...rule, condition: cheap }, ruleData({ record, ...moment })).holds);
    // One moment per call in practice (an event, a slot); the query counts activities up to the latest of them.
    const now = items.reduce((latest, { moment }) => (moment.now > latest ? moment.now : latest), new Date(0));
    recency = items.length > 0 ? await lastActivityDates({ deps: runtime.records, entity, records: items.map((item) => item.record), now }) : new Map();
  }
  const out: Qualified[] = [];
  for (const { record, moment } of items) {
    const data = ruleData({ record, ...moment, ...(recency ? { lastActivityAt: recency.get(String(record._id)) ?? null } : {}) });
    const result = conditionHolds(rule, data);
    if (result.errors) runtime.logger.warn({ rule: rule.name, id: String(record._id), errors: result.errors }, 'rule condition could not be evaluated');
    if (result.holds) out.push({ record, data });
  }
  return out;
}
