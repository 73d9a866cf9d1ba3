/**
 * The sales-process endpoints in the OpenAPI description: per entity with a
 * pipeline, its transition, stage history and board; the rules' dry run,
 * runs and chain reports.
 */
import { ID_PARAM as idParam, jsonContent as json, pascal, problem, PROBLEMS, ref, type Json } from '../http/openapi-parts.ts';
import type { MetadataSnapshot } from '../metadata/registry.ts';
import { pipelineOf } from './lookup.ts';
import { DEFAULT_CARDS, MAX_CARDS } from './operations/board.ts';


const AMOUNT = { type: ['string', 'number', 'null'], description: 'Exact decimal string for money fields; null without an amount field or when the caller may not read it' };

const SCHEMAS: Record<string, Json> = {
  TransitionRequest: {
    type: 'object',
    required: ['stage'],
    additionalProperties: false,
    properties: { stage: { type: 'string', description: 'Name of the stage to move to' }, note: { type: 'string', maxLength: 2000, description: 'Kept with the transition in the stage history' } },
  },
  StageHistory: {
    type: 'object',
    required: ['items', 'total'],
    properties: {
      total: { type: 'integer' },
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['at', 'from', 'to', 'dwellMs', 'by', 'version'],
          properties: {
            at: { type: 'string', format: 'date-time' },
            from: { type: ['string', 'null'], description: 'null: the record entered its first stage on create' },
            to: { type: 'string' },
            dwellMs: { type: ['integer', 'null'], description: 'Time spent in `from`' },
            dwellDays: { type: ['number', 'null'] },
            by: { type: ['string', 'null'], description: 'The user who moved it (null for a rule)' },
            rule: { type: 'string', description: 'The rule that moved it' },
            note: { type: 'string' },
            version: { type: 'integer' },
          },
        },
      },
    },
  },
  Board: {
    type: 'object',
    required: ['entity', 'pipeline', 'stages', 'total'],
    properties: {
      entity: { type: 'string' },
      pipeline: { type: 'string' },
      amountField: { type: ['string', 'null'] },
      stages: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'label', 'kind', 'count', 'sum', 'weighted', 'items'],
          properties: {
            name: { type: 'string' },
            label: { type: 'object', properties: { en: { type: 'string' }, ru: { type: 'string' } } },
            color: { type: 'string' },
            kind: { enum: ['open', 'won', 'lost'] },
            probability: { type: ['number', 'null'] },
            targetDwellDays: { type: 'number' },
            count: { type: 'integer' },
            sum: AMOUNT,
            weighted: { ...AMOUNT, description: 'sum × probability / 100, exact for money' },
            items: { type: 'array', items: { type: 'object' }, description: 'The first cards of the stage (limit per stage)' },
          },
        },
      },
      unassigned: { type: 'object', description: 'Records in a stage the pipeline no longer has', properties: { count: { type: 'integer' }, sum: AMOUNT } },
      total: { type: 'object', properties: { count: { type: 'integer' }, sum: AMOUNT, weighted: AMOUNT } },
    },
  },
  RuleSimulation: {
    type: 'object',
    required: ['rule', 'now', 'past'],
    properties: {
      rule: { type: 'string' },
      enabled: { type: 'boolean' },
      at: { type: 'string', format: 'date-time' },
      now: { type: 'array', description: 'Records the rule would change if it fired now', items: { type: 'object', properties: { id: { type: 'string' }, title: {}, actions: { type: 'array', items: { type: 'object' } } } } },
      past: { type: 'array', description: 'What it would have done over the period, judged from history', items: { type: 'object', properties: { id: { type: 'string' }, title: {}, at: { type: 'string', format: 'date-time' }, event: { type: 'string' }, actions: { type: 'array', items: { type: 'object' } } } } },
      period: { type: 'object', properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } } },
      scanned: { type: 'integer' },
      truncated: { type: 'boolean' },
    },
  },
};

const RULE_PATHS: Record<string, Json> = {
  '/api/v1/meta/rules/{name}/simulate': {
    parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
    post: {
      operationId: 'simulateRule',
      tags: ['Metadata'],
      summary: 'Dry run of a rule (enabled or not): what it would change now and over a past period, changing nothing (administrators)',
      requestBody: { required: false, content: json({ type: 'object', additionalProperties: false, properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } } }) },
      responses: { '200': { description: 'The simulation', content: json(ref('RuleSimulation')) }, ...PROBLEMS },
    },
  },
  '/api/v1/meta/rules/{name}/runs': {
    parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
    get: {
      operationId: 'ruleRuns',
      tags: ['Metadata'],
      summary: 'What a rule did, newest first: the event or slot, the record and each action\'s outcome (done, unchanged, refused, failed)',
      parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }],
      responses: { '200': { description: 'Runs', content: json({ type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } }) }, ...PROBLEMS },
    },
  },
  '/api/v1/meta/rule-reports': {
    get: {
      operationId: 'ruleReports',
      tags: ['Metadata'],
      summary: 'Rule chains cut at the depth limit, newest first',
      parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }],
      responses: { '200': { description: 'Reports', content: json({ type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } }) }, ...PROBLEMS },
    },
  },
};

export function addPipelinePaths(input: { snapshot: MetadataSnapshot; paths: Record<string, Json>; schemas: Record<string, Json> }): void {
  const { snapshot, paths, schemas } = input;
  Object.assign(schemas, SCHEMAS);
  Object.assign(paths, RULE_PATHS);
  for (const entity of [...snapshot.entities.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const pipeline = pipelineOf(snapshot, entity);
    if (!pipeline) continue;
    const type = pascal(entity.name);
    const label = entity.label.en;
    const stages = pipeline.stages.map((stage) => stage.name);
    paths[`/api/v1/data/${entity.name}/{id}/transition`] = {
      parameters: [idParam],
      post: {
        operationId: `transition${type}`,
        tags: [label],
        summary: `Move a ${label} record to another stage of the "${pipeline.name}" pipeline`,
        description: `Stages: ${stages.join(', ')}. Checks, all reported at once: the stage exists and is not the current one, the current stage leads to it, its required fields have values, its guards hold. A refusal answers 422 with every reason in errors[] and changes nothing.`,
        parameters: [{ name: 'If-Match', in: 'header', schema: { type: 'string' }, description: 'ETag of the version you saw; stale → 409' }],
        requestBody: { required: true, content: json(ref('TransitionRequest')) },
        responses: { '200': { description: 'The moved record', headers: { ETag: { schema: { type: 'string' } } }, content: json(ref(type)) }, '409': problem('Version conflict'), '422': problem('The transition is refused: see errors[]'), ...PROBLEMS },
      },
    };
    paths[`/api/v1/data/${entity.name}/{id}/stages`] = {
      parameters: [idParam],
      get: {
        operationId: `stages${type}`,
        tags: [label],
        summary: 'Stage history, newest first: from, to, when, who or which rule, time spent in the stage left',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 500, default: 100 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
        ],
        responses: { '200': { description: 'Stage history', content: json(ref('StageHistory')) }, ...PROBLEMS },
      },
    };
    paths[`/api/v1/board/${entity.name}`] = {
      get: {
        operationId: `board${type}`,
        tags: [label],
        summary: `${label} records by stage: counts, sums of ${pipeline.amountField ?? 'no amount field'}, weighted sums and the first cards`,
        parameters: [
          { name: 'filter', in: 'query', schema: { type: 'string' }, description: 'The list filter language (see the list operation)' },
          { name: 'q', in: 'query', schema: { type: 'string', maxLength: 200 } },
          { name: 'sort', in: 'query', schema: { type: 'string', default: '-updatedAt' }, description: 'Order of the cards in each stage' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_CARDS, default: DEFAULT_CARDS }, description: 'Cards per stage' },
          { name: 'fields', in: 'query', schema: { type: 'string' } },
          { name: 'expand', in: 'query', schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'The board', content: json(ref('Board')) }, ...PROBLEMS },
      },
    };
  }
}
