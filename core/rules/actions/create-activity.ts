/**
 * createActivity: a planned item of an activity entity linked to the
 * record's entity (one whose type field offers the type): referencing the
 * record directly where it can, else sharing its references (the deal's
 * organization and contact person); in the record's business direction;
 * assigned to the record's owner or creator; due `dueInDays` from now.
 */
import type { RuleAction } from '../../metadata/types.ts';
import { createRecord } from '../../records/operations/create.ts';
import { activityLinks, activityTypes, type ActivityLink } from '../relations.ts';
import { DAY_MS } from '../rule-data.ts';
import { errorsOf, type ActionHandler, type ActionInput, type ActionPlan } from './types.ts';

type CreateActivity = Extract<RuleAction, { kind: 'createActivity' }>;

function linkFor(input: ActionInput<CreateActivity>): ActivityLink | undefined {
  const links = activityLinks(input.runtime.records.registry.snapshot.entities, input.entity).filter((link) => activityTypes(link)?.includes(input.action.activityType) ?? true);
  return links.find((link) => link.direct.length > 0) ?? links[0];
}

function hex(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof (value as { toHexString?: unknown }).toHexString === 'function' ? (value as { toHexString: () => string }).toHexString() : String(value);
}

/** The new item's data, in the API's JSON form. */
function activityData(input: ActionInput<CreateActivity>, link: ActivityLink): Record<string, unknown> {
  const { action, record, now } = input;
  const options = link.options;
  const data: Record<string, unknown> = {};
  if (options.typeField) data[options.typeField] = action.activityType;
  const title = link.activity.titleField;
  if (title) data[title] = action.subject.en;
  if (options.statusField && options.openStatuses?.[0]) data[options.statusField] = options.openStatuses[0];
  const due = options.dueField ?? options.dateField;
  const dueField = link.activity.fields.find((f) => f.name === due && f.type !== 'computed');
  if (dueField) data[dueField.name] = new Date(now.getTime() + (action.dueInDays ?? 0) * DAY_MS).toISOString().slice(0, dueField.type === 'date' ? 10 : 24);
  for (const field of link.direct) data[field.name] = field.type === 'references' ? [hex(record._id)] : hex(record._id);
  for (const { activityField, recordField } of link.shared) {
    if (data[activityField.name] !== undefined) continue;
    const value = record[recordField.name];
    if (value === undefined || value === null) continue;
    const list = Array.isArray(value) ? value.map(hex) : [hex(value)];
    data[activityField.name] = activityField.type === 'references' ? list : list[0];
  }
  const assignee = action.assignTo === 'creator' ? record.createdBy : (record.owner ?? record.createdBy);
  if (link.activity.features?.owner && hex(assignee)) data.owner = hex(assignee);
  if (link.activity.features?.direction && typeof record.direction === 'string') data.direction = record.direction;
  return data;
}

export const createActivity: ActionHandler<CreateActivity> = {
  async plan(input): Promise<ActionPlan> {
    const link = linkFor(input);
    if (!link) return { kind: 'createActivity', isChange: true, detail: { activityType: input.action.activityType }, failed: [{ path: '/activityType', message: `no activity entity linked to ${input.entity.name} has the type "${input.action.activityType}"` }] };
    return { kind: 'createActivity', isChange: true, detail: { entity: link.activity.name, data: activityData(input, link) } };
  },

  async apply({ runtime, plan, ctx, depth }) {
    if (plan.failed) return { kind: 'createActivity', status: 'failed', detail: plan.detail, errors: plan.failed };
    try {
      const created = await createRecord({ ctx, deps: runtime.records, entity: String(plan.detail.entity), data: plan.detail.data, ruleDepth: depth + 1 });
      return { kind: 'createActivity', status: 'done', detail: { ...plan.detail, id: created._id } };
    } catch (error) {
      return { kind: 'createActivity', status: 'failed', detail: plan.detail, errors: errorsOf(error) };
    }
  },
};
