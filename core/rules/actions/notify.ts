/**
 * notify: the record's owner, its creator, or every active user holding a
 * role — and of those only the users who may read the record (a rule never
 * tells anyone about a record of a business direction they cannot see).
 * One notification per run and recipient, in the recipient's language, in
 * their inbox; mailed too unless the action's channel is `inApp`.
 */
import { ObjectId, type Document, type Filter } from 'mongodb';
import { Query } from 'mingo';
import type { Principal } from '../../context.ts';
import type { Locale, RuleAction } from '../../metadata/types.ts';
import { localized } from '../../pipelines/checks.ts';
import { errorsOf, type ActionHandler, type ActionInput } from './types.ts';

type Notify = Extract<RuleAction, { kind: 'notify' }>;

interface UserDoc {
  _id: ObjectId;
  roles?: string[];
  directions?: string[];
  locale?: Locale;
  active?: boolean;
}

async function recipients(input: ActionInput<Notify>): Promise<UserDoc[]> {
  const { runtime, action, entity, record } = input;
  const ids: ObjectId[] = [];
  const roles: string[] = [];
  for (const to of action.to) {
    const value = to === 'owner' ? record.owner : to === 'creator' ? record.createdBy : undefined;
    if (value instanceof ObjectId) ids.push(value);
    if (to.startsWith('role:')) roles.push(to.slice(5));
  }
  const or: Filter<UserDoc>[] = [];
  if (ids.length > 0) or.push({ _id: { $in: ids } });
  if (roles.length > 0) or.push({ roles: { $in: roles } });
  if (or.length === 0) return [];
  const users = await runtime.records.db.collection<UserDoc>('user').find({ $or: or, active: { $ne: false } }, { projection: { roles: 1, directions: 1, locale: 1 } }).sort({ _id: 1 }).toArray();
  return users.filter((user) => {
    const principal: Principal = { kind: 'user', userId: user._id, roles: user.roles ?? [], directions: user.directions ?? [], isAdmin: false, hasAllDirections: false };
    const decision = runtime.records.access.recordFilter({ ctx: { principal, requestId: 'rule-notify', locale: 'en' }, entity, action: 'read' });
    return decision === true || (decision !== false && new Query(decision as Filter<Document> as Record<string, unknown>).test(record));
  });
}

export const notify: ActionHandler<Notify> = {
  async plan(input) {
    const users = await recipients(input);
    return { kind: 'notify', isChange: users.length > 0, detail: { to: users.map((user) => user._id.toHexString()) } };
  },

  async apply({ runtime, rule, action, entity, record, plan, key, now }) {
    const to = (plan.detail.to as string[]) ?? [];
    try {
      const users = await runtime.records.db.collection<UserDoc>('user').find({ _id: { $in: to.map((id) => new ObjectId(id)) } }, { projection: { locale: 1 } }).toArray();
      const id = String(record._id);
      for (const user of users) {
        const locale: Locale = user.locale === 'ru' ? 'ru' : 'en';
        const title = localized(rule.label, locale);
        await runtime.notifier.notify({ key: `${rule.name}:${key}:${user._id.toHexString()}`, userId: user._id, rule: rule.name, title, body: localized(action.message, locale), link: { entity: entity.name, id }, isEmailed: action.channel !== 'inApp' }, now);
      }
      return { kind: 'notify', status: 'done', detail: plan.detail };
    } catch (error) {
      return { kind: 'notify', status: 'failed', detail: plan.detail, errors: errorsOf(error) };
    }
  },
};
