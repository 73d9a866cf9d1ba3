/**
 * The rule engine as a process assembles it: its indexes, the after-hook on
 * the record event bus that runs event-triggered rules, the admin routes
 * (dry run, runs, reports), and the runtime the `rules.schedule` job uses.
 * API processes and worker processes each create one over their own bus.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { Logger } from '../observability/logger.ts';
import type { RecordDeps } from '../records/deps.ts';
import { handleRecordEvent } from './events.ts';
import { ensureNotificationIndexes } from '../notifications/notification-store.ts';
import { moveLegacyRuleNotifications } from './legacy-notifications.ts';
import { inboxNotifier } from './notifier.ts';
import { ruleRoutes } from './routes.ts';
import type { RuleNotifier, RuleRuntime } from './runtime.ts';
import { runDueScheduleRules, type SweepResult } from './schedule.ts';
import { ensureRuleIndexes } from './store.ts';

export interface RulesModule {
  runtime: RuleRuntime;
  mounts: Array<{ path: string; routes: Hono<AppEnv> }>;
  /** the `rules.schedule` job: every schedule rule with a slot due runs once for it */
  runDue(now?: Date): Promise<SweepResult[]>;
  close(): void;
}

export async function createRulesModule(input: { records: RecordDeps; logger: Logger; notifier?: RuleNotifier }): Promise<RulesModule> {
  const { records, logger } = input;
  await ensureRuleIndexes(records.db);
  // Notify actions write to the inbox, also in a worker process that assembles no notifications module.
  await ensureNotificationIndexes(records.db);
  await moveLegacyRuleNotifications({ db: records.db, logger });
  const runtime: RuleRuntime = { records, logger, notifier: input.notifier ?? inboxNotifier(records.db) };
  const unsubscribe = records.bus.subscribe((event) => handleRecordEvent(runtime, event));
  return {
    runtime,
    mounts: [{ path: '/api/v1/meta', routes: ruleRoutes(runtime) }],
    runDue: (now) => runDueScheduleRules({ runtime, now }),
    close: unsubscribe,
  };
}
