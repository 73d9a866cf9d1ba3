/**
 * What the rule engine needs, passed explicitly, and the context a rule
 * acts in: the system, named by the rule (history records it), one chain
 * link deeper than the event that fired it.
 */
import type { ObjectId } from 'mongodb';
import { SYSTEM_PRINCIPAL, type RequestContext } from '../context.ts';
import type { Logger } from '../observability/logger.ts';
import type { RecordDeps } from '../records/deps.ts';

/** Rule chains longer than this are cut and reported. */
export const MAX_RULE_DEPTH = 5;

export interface RuleNotification {
  /** one notification per key (a rule run and a recipient): a retried run adds none */
  key: string;
  userId: ObjectId;
  rule: string;
  title: string;
  body: string;
  link: { entity: string; id: string };
  /** false: the action's channel is the inbox only */
  isEmailed: boolean;
}

/** Where notify actions deliver (the user's inbox: notifier.ts). */
export interface RuleNotifier {
  /** true when this call created it */
  notify(notification: RuleNotification, now: Date): Promise<boolean>;
}

export interface RuleRuntime {
  records: RecordDeps;
  logger: Logger;
  notifier: RuleNotifier;
}

export function ruleContext(rule: string, key: string): RequestContext {
  return { principal: { ...SYSTEM_PRINCIPAL, rule }, requestId: `rule:${rule}:${key}`, locale: 'en' };
}
