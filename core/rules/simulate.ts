/**
 * `POST /api/v1/meta/rules/:name/simulate { from?, to? }`: the rule's dry
 * run, for enabled and disabled rules alike, changing nothing — which
 * records it would change now (simulate-now.ts) and which it would have
 * changed between `from` and `to` judging from history (simulate-past.ts;
 * default: the 30 days before `to`, which defaults to now).
 */
import type { RuleDefinition } from '../metadata/types.ts';
import { assertPlainObject } from '../records/write-input.ts';
import { badRequest, notFound, type FieldError } from '../shared/errors.ts';
import { DAY_MS } from './rule-data.ts';
import type { RuleRuntime } from './runtime.ts';
import { simulateNow, type PlannedItem } from './simulate-now.ts';
import { simulatePast, type PastItem } from './simulate-past.ts';

export const MAX_PERIOD_DAYS = 366;

export interface Simulation {
  rule: string;
  enabled: boolean;
  at: string;
  now: PlannedItem[];
  past: PastItem[];
  period: { from: string; to: string };
  scanned: number;
  truncated: boolean;
}

function parsePeriod(body: unknown, now: Date): { from: Date; to: Date } {
  const input = body === undefined ? {} : body;
  assertPlainObject(input);
  const errors: FieldError[] = Object.keys(input).filter((key) => key !== 'from' && key !== 'to').map((key) => ({ path: `/${key}`, message: 'is not a member of a simulation request' }));
  const date = (name: 'from' | 'to'): Date | undefined => {
    const raw = input[name];
    if (raw === undefined) return undefined;
    const parsed = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(raw) ? new Date(raw) : undefined;
    if (!parsed || Number.isNaN(parsed.getTime())) errors.push({ path: `/${name}`, message: 'must be an ISO 8601 date or date-time' });
    return parsed;
  };
  const to = date('to') ?? now;
  const from = date('from') ?? new Date(to.getTime() - 30 * DAY_MS);
  if (errors.length === 0 && from > to) errors.push({ path: '/from', message: 'must not be after to' });
  if (errors.length === 0 && to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) errors.push({ path: '/from', message: `the period may span at most ${MAX_PERIOD_DAYS} days` });
  if (errors.length > 0) throw badRequest('The simulation request is invalid', errors);
  return { from, to };
}

export async function simulateRule(input: { runtime: RuleRuntime; name: string; body: unknown; now?: Date }): Promise<Simulation> {
  const { runtime } = input;
  const now = input.now ?? new Date();
  const period = parsePeriod(input.body, now);
  const snapshot = runtime.records.registry.snapshot;
  const rule = snapshot.byKind<RuleDefinition>('rule').get(input.name)?.definition;
  if (!rule) throw notFound(`Unknown rule "${input.name}"`);
  const entity = snapshot.entities.get(rule.entity);
  if (!entity) throw notFound(`The rule's entity "${rule.entity}" no longer exists`);
  const current = await simulateNow({ runtime, rule, entity, now });
  const past = await simulatePast({ runtime, rule, entity, period });
  return {
    rule: rule.name,
    enabled: rule.enabled !== false,
    at: now.toISOString(),
    now: current.items,
    past,
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    scanned: current.scanned,
    truncated: current.isTruncated,
  };
}
