/**
 * The engagement endpoints in the OpenAPI description, per entity and only
 * where metadata enables them: timeline (entities some timeline entity
 * references), summary (every entity), complete/next (timeline entities
 * with follow-up), duplicates (entities with duplicate control), merge
 * (every entity). The overdue filter is documented on the list operation
 * of entities with open statuses and a due field.
 */
import type { EntityDefinition } from '../metadata/types.ts';
import { ID_PARAM as idParam, jsonContent as json, pascal, problem, PROBLEMS, ref, type Json } from '../http/openapi-parts.ts';
import type { MetadataSnapshot } from '../metadata/registry.ts';
import { timelineSources } from './sources.ts';
import { DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT } from './timeline/params.ts';



const TIMELINE_ITEM: Json = {
  type: 'object',
  required: ['entity', 'id', 'at', 'type', 'actor', 'title', 'record'],
  properties: {
    entity: { type: 'string' },
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time', description: 'Where the item sits: the timeline date field of its entity' },
    type: { type: ['string', 'null'], description: 'Value of the type field, or the entity name' },
    actor: { type: ['string', 'null'], description: 'The responsible user id' },
    title: { type: ['string', 'null'] },
    isOpen: { type: 'boolean', description: 'Still to be done (an open status)' },
    isOverdue: { type: 'boolean', description: 'Open and due before now (judged at read time)' },
    record: { type: 'object', description: 'The record, as the caller may read it' },
  },
};

export const ENGAGEMENT_SCHEMAS: Record<string, Json> = {
  TimelineItem: TIMELINE_ITEM,
  TimelinePage: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: ref('TimelineItem') }, nextCursor: { type: ['string', 'null'] } } },
  RecordSummary: {
    type: 'object',
    required: ['entity', 'id', 'record', 'attributes', 'related', 'timeline', 'asOf'],
    properties: {
      entity: { type: 'string' },
      id: { type: 'string' },
      title: { type: ['string', 'null'] },
      record: { type: 'object' },
      attributes: { type: 'array', items: { type: 'object', required: ['field', 'label', 'type', 'value'], properties: { field: { type: 'string' }, label: { type: 'string' }, type: { type: 'string' }, value: {}, text: { type: 'string' } } } },
      related: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            entity: { type: 'string' },
            via: { type: 'string' },
            label: { type: 'string' },
            current: { type: 'array', items: { type: 'object', properties: { record: { type: 'object' }, siblings: { type: 'array', items: { type: 'object' } } } } },
            former: { type: 'array', items: { type: 'object' } },
            counts: { type: 'object', properties: { total: { type: 'integer' }, current: { type: 'integer' }, former: { type: 'integer' } } },
          },
        },
      },
      timeline: {
        type: 'object',
        properties: {
          last: { type: 'array', items: ref('TimelineItem') },
          next: { type: 'array', items: ref('TimelineItem') },
          open: { type: 'array', items: ref('TimelineItem') },
          counts: { type: 'object', properties: { total: { type: 'integer' }, done: { type: 'integer' }, open: { type: 'integer' }, overdue: { type: 'integer' }, byType: { type: 'object', additionalProperties: { type: 'integer' } } } },
        },
      },
      asOf: { type: 'string', format: 'date-time' },
    },
  },
  DuplicateCandidates: {
    type: 'object',
    required: ['candidates'],
    properties: { candidates: { type: 'array', items: { type: 'object', required: ['id', 'title', 'reasons'], properties: { id: { type: 'string' }, title: { type: ['string', 'null'] }, reasons: { type: 'array', items: { type: 'string' }, examples: [['same taxId', 'similar name 0.92']] }, similarity: { type: 'number' } } } } },
  },
  PossibleDuplicateWarning: {
    type: 'object',
    required: ['code', 'message', 'candidates'],
    properties: { code: { const: 'POSSIBLE_DUPLICATE' }, message: { type: 'string' }, candidates: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, title: { type: ['string', 'null'] }, reasons: { type: 'array', items: { type: 'string' } }, similarity: { type: 'number' } } } } },
  },
  MergeRequest: {
    type: 'object',
    required: ['from'],
    properties: {
      from: { type: 'string', pattern: '^[0-9a-f]{24}$', description: 'The record merged into this one (deleted afterwards)' },
      fields: { type: 'object', additionalProperties: { enum: ['from', 'into'] }, description: 'Per field: take the value of "from" or keep "into". Unnamed fields keep the surviving value and are filled from "from" where empty.' },
    },
    additionalProperties: false,
  },
  MergeResult: {
    type: 'object',
    properties: {
      record: { type: 'object' },
      merged: { type: 'object', properties: { from: { type: 'string' }, into: { type: 'string' }, repointed: { type: 'object', description: 'entity → field → records re-pointed' } } },
      isReplay: { type: 'boolean', description: 'The merge had already finished; nothing changed now' },
    },
  },
};

function entityEngagementPaths(snapshot: MetadataSnapshot, entity: EntityDefinition): Record<string, Json> {
  const type = pascal(entity.name);
  const label = entity.label.en;
  const base = `/api/v1/data/${entity.name}`;
  const paths: Record<string, Json> = {};
  if (timelineSources(snapshot, entity.name).length > 0) {
    paths[`${base}/{id}/timeline`] = {
      parameters: [idParam],
      get: {
        operationId: `timeline${type}`,
        tags: [label],
        summary: `Timeline of a ${label}: every record of a timeline entity referencing it, newest first`,
        parameters: [
          { name: 'type', in: 'query', schema: { type: 'string' }, description: 'Comma list of item types (e.g. call,meeting)' },
          { name: 'actor', in: 'query', schema: { type: 'string', pattern: '^[0-9a-f]{24}$' }, description: 'Only items of this responsible user' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_TIMELINE_LIMIT, default: DEFAULT_TIMELINE_LIMIT } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: "nextCursor of the previous page" },
        ],
        responses: { '200': { description: 'A page', content: json(ref('TimelinePage')) }, ...PROBLEMS },
      },
    };
  }
  paths[`/api/v1/summary/${entity.name}/{id}`] = {
    parameters: [idParam],
    get: { operationId: `summary${type}`, tags: [label], summary: `Summary of a ${label}: key attributes, related lists, last/next/open items and counts in one request`, responses: { '200': { description: 'The summary', content: json(ref('RecordSummary')) }, ...PROBLEMS } },
  };
  const timeline = entity.timeline;
  if (timeline?.followUp && timeline.statusField) {
    paths[`${base}/{id}/complete`] = {
      parameters: [idParam],
      post: {
        operationId: `complete${type}`,
        tags: [label],
        summary: `Record the outcome: "${timeline.statusField}" set to a closing status (${timeline.doneStatuses?.join(', ') ?? 'not open'} …), with any other fields; answers the proposed next contact`,
        parameters: [{ name: 'If-Match', in: 'header', schema: { type: 'string' } }],
        requestBody: { required: true, content: json(ref(`${type}Update`)) },
        responses: { '200': { description: 'The updated record and the proposal (null when no rule applies)', content: json({ type: 'object', properties: { record: ref(type), proposal: { type: ['object', 'null'] } } }) }, '409': problem('Version conflict'), ...PROBLEMS },
      },
    };
    paths[`${base}/{id}/next`] = {
      parameters: [idParam],
      post: {
        operationId: `next${type}`,
        tags: [label],
        summary: `Accept the proposed next contact (the body overrides its fields; {} accepts it as proposed): creates the planned ${label} linked by "${timeline.followUp.linkField}"`,
        requestBody: { required: true, content: json({ type: 'object' }) },
        responses: { '201': { description: 'Created', content: json(ref(type)) }, '409': problem('An open follow-up exists already (existingId)'), ...PROBLEMS },
      },
    };
  }
  if (entity.duplicates) {
    paths[`${base}/duplicates`] = {
      post: {
        operationId: `duplicates${type}`,
        tags: [label],
        summary: `Possible duplicates of a candidate ${label} (complete or partial; with _id to leave an existing record out)`,
        requestBody: { required: true, content: json({ type: 'object' }) },
        responses: { '200': { description: 'Candidates with reasons', content: json(ref('DuplicateCandidates')) }, ...PROBLEMS },
      },
    };
  }
  paths[`${base}/{id}/merge`] = {
    parameters: [idParam],
    post: {
      operationId: `merge${type}`,
      tags: [label],
      summary: `Merge another ${label} into this one: chosen values, every reference re-pointed, the other deleted, traced in both histories; repeating it is safe`,
      requestBody: { required: true, content: json(ref('MergeRequest')) },
      responses: { '200': { description: 'The surviving record', content: json(ref('MergeResult')) }, '409': problem('Already merged into another record'), ...PROBLEMS },
    },
  };
  return paths;
}

/** Adds the engagement paths and schemas; documents the overdue filter on list operations. */
export function addEngagementPaths(input: { snapshot: MetadataSnapshot; paths: Record<string, Json>; schemas: Record<string, Json> }): void {
  const { snapshot, paths, schemas } = input;
  Object.assign(schemas, ENGAGEMENT_SCHEMAS);
  for (const entity of [...snapshot.entities.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    Object.assign(paths, entityEngagementPaths(snapshot, entity));
    const created = ((paths[`/api/v1/data/${entity.name}`] as { post?: { responses?: Record<string, { content?: Record<string, { schema?: Json }> }> } } | undefined)?.post?.responses?.['201']?.content?.['application/json']);
    if (entity.duplicates && created?.schema) {
      // The 201 of a create carries the possible duplicates it found (it never blocks).
      created.schema = { allOf: [created.schema, { type: 'object', properties: { warnings: { type: 'array', items: ref('PossibleDuplicateWarning') } } }] };
    }
    const timeline = entity.timeline;
    const list = (paths[`/api/v1/data/${entity.name}`] as { get?: Json } | undefined)?.get;
    if (list && timeline?.statusField && timeline.openStatuses) {
      const due = timeline.dueField ?? timeline.dateField;
      const overdue = JSON.stringify({ [timeline.statusField]: { $in: timeline.openStatuses }, [due]: { $lt: '<now, ISO 8601>' } });
      list.description = `Overdue ${entity.pluralLabel?.en ?? entity.label.en}: filter=${overdue} (open and due before now; the timeline and summary flag them as isOverdue).`;
    }
  }
}
