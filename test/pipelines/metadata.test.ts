import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyShippedMetadata } from '../../core/metadata/bootstrap.ts';
import type { PipelineDefinition } from '../../core/metadata/types.ts';
import { SHIPPED_APPS_DIR, SYSTEM_METADATA_DIR } from '../../core/platform.ts';
import type { TestApi } from '../support/api.ts';
import { makeTempDir } from '../support/engine.ts';
import { createCapturingLogger } from '../support/platform.ts';
import { ok, startSalesApi, type Rec } from './fixtures.ts';

interface Problem {
  errors: Array<{ path: string; message: string }>;
}

const label = (en: string) => ({ en });

describe('pipelines as metadata: defined through the API, validated, shipped and merged', () => {
  let api: TestApi;
  before(async () => {
    api = await startSalesApi();
  });
  after(async () => api.close());

  it('ships the sales pipeline for deals and its example rules, disabled', async () => {
    const sales = await ok<PipelineDefinition>(api.request('GET', '/api/v1/meta/pipelines/sales'), 200);
    assert.equal(sales.entity, 'deal');
    assert.deepEqual(sales.stages.map((stage) => [stage.name, stage.kind, stage.probability]), [
      ['initialCalls', 'open', 10], ['meetingHeld', 'open', 25], ['proposal', 'open', 50], ['contract', 'open', 80], ['won', 'won', 100], ['lost', 'lost', 0], ['stalled', 'open', 5],
    ]);
    const rules = await ok<{ items: Array<{ name: string; enabled: boolean }> }>(api.request('GET', '/api/v1/meta/rules'), 200);
    assert.deepEqual(rules.items.map((rule) => [rule.name, rule.enabled]), [['meetingHeldAdvancesDeal', false], ['stalledProposal', false]]);
  });

  it('creates a pipeline for a new entity through the metadata API; its records start in the first stage and obey its guards', async () => {
    await ok(api.request('POST', '/api/v1/meta/entities', {
      name: 'ticket',
      label: label('Ticket'),
      titleField: 'subject',
      features: { pipeline: 'support' },
      fields: [
        { name: 'subject', type: 'text', label: label('Subject'), required: true },
        { name: 'severity', type: 'integer', label: label('Severity') },
        { name: 'cost', type: 'number', label: label('Cost') },
      ],
    }));
    const pipeline = {
      name: 'support',
      label: label('Support'),
      entity: 'ticket',
      amountField: 'cost',
      stages: [
        { name: 'open', label: label('Open'), kind: 'open', next: ['escalated', 'closed'] },
        { name: 'escalated', label: label('Escalated'), kind: 'open', guards: [{ condition: { '>=': [{ var: 'severity' }, 3] }, field: 'severity', message: { en: 'Only severity 3 and above is escalated' } }] },
        { name: 'closed', label: label('Closed'), kind: 'won', next: [] },
      ],
    };
    const created = await ok<PipelineDefinition & { revision: number }>(api.request('POST', '/api/v1/meta/pipelines', pipeline));
    assert.ok(created.revision > 0);
    const ticket = await ok<Rec>(api.request('POST', '/api/v1/data/ticket', { subject: 'Printer', severity: 2, cost: 10 }));
    assert.equal(ticket.stage, 'open');
    const refused = await api.request<Problem>('POST', `/api/v1/data/ticket/${ticket._id}/transition`, { stage: 'escalated' });
    assert.equal(refused.status, 422);
    assert.deepEqual(refused.body.errors, [{ path: '/severity', message: 'Only severity 3 and above is escalated' }]);
    await ok(api.request('PATCH', `/api/v1/data/ticket/${ticket._id}`, { severity: 4 }), 200);
    assert.equal((await ok<Rec>(api.request('POST', `/api/v1/data/ticket/${ticket._id}/transition`, { stage: 'escalated' }), 200)).stage, 'escalated');
    const revisions = await ok<{ items: unknown[] }>(api.request('GET', '/api/v1/meta/pipelines/support/revisions'), 200);
    assert.equal(revisions.items.length, 1);
  });

  it('refuses guards with unknown operations, oversize or deeply nested expressions, unknown fields, and a non-numeric amount field — storing nothing', async () => {
    const base = { name: 'bad', label: label('Bad'), entity: 'deal', stages: [{ name: 'a', label: label('A'), kind: 'open' }] };
    const withGuard = (condition: unknown, extra: Record<string, unknown> = {}) => ({ ...base, stages: [{ ...base.stages[0], guards: [{ condition, message: label('No'), ...extra }] }] });
    let nested: unknown = { var: 'amount' };
    for (let i = 0; i < 12; i += 1) nested = { '!': [nested] };
    const cases: Array<[unknown, string, RegExp]> = [
      [withGuard({ eval: ['1'] }), '/stages/0/guards/0/condition/eval', /unknown or forbidden operation "eval"/],
      [withGuard({ method: [{ var: 'title' }, 'toString'] }), '/stages/0/guards/0/condition/method', /unknown or forbidden operation/],
      [withGuard({ in: ['a', Array.from({ length: 600 }, (_, i) => i)] }), '/stages/0/guards/0/condition', /too large/],
      [withGuard(nested), '/stages/0/guards/0/condition', /nests deeper than 10 levels/],
      [withGuard({ '>': [{ var: 'secret' }, 1] }), '/stages/0/guards/0/condition', /reads "secret", which is not a field of deal/],
      [withGuard(true, { field: 'ghost' }), '/stages/0/guards/0/field', /names no field of deal/],
      [{ ...base, amountField: 'title' }, '/amountField', /must be a number, integer or money field/],
      [{ ...base, amountField: 'ghost' }, '/amountField', /names no field/],
    ];
    for (const [doc, path, message] of cases) {
      const response = await api.request<Problem>('POST', '/api/v1/meta/pipelines', doc);
      assert.equal(response.status, 400, JSON.stringify(doc).slice(0, 200));
      const error = response.body.errors.find((e) => e.path.startsWith(path));
      assert.ok(error && message.test(error.message), `${path}: ${JSON.stringify(response.body.errors)}`);
    }
    assert.equal((await api.request('GET', '/api/v1/meta/pipelines/bad')).status, 404);
  });

  it('merges a new shipped version with an administrator\'s changes at the next start-up', async () => {
    await ok(api.request('PATCH', '/api/v1/meta/pipelines/sales', {
      stages: (await ok<PipelineDefinition>(api.request('GET', '/api/v1/meta/pipelines/sales'), 200)).stages.map((stage) => (stage.name === 'won' ? { ...stage, label: { en: 'Signed', ru: 'Подписана' } } : stage)),
    }), 200);
    const apps = makeTempDir('relata-apps-');
    cpSync(SHIPPED_APPS_DIR, apps, { recursive: true });
    const file = join(apps, 'crm', 'pipelines', 'sales.json');
    const shipped = JSON.parse(readFileSync(file, 'utf8')) as PipelineDefinition;
    shipped.stages = shipped.stages.map((stage) => (stage.name === 'won' ? { ...stage, color: '#15803d' } : stage.name === 'stalled' ? { ...stage, next: [...(stage.next ?? []), 'onHold'] } : stage));
    shipped.stages.push({ name: 'onHold', label: { en: 'On hold' }, kind: 'open' });
    writeFileSync(file, JSON.stringify(shipped));
    const result = await applyShippedMetadata({ deps: api.platform.metadata, logger: createCapturingLogger().logger, appsDir: apps, systemDir: SYSTEM_METADATA_DIR });
    assert.deepEqual(result.updated, ['pipeline:sales']);
    await api.platform.registry.refresh();
    const merged = await ok<PipelineDefinition>(api.request('GET', '/api/v1/meta/pipelines/sales'), 200);
    const won = merged.stages.find((stage) => stage.name === 'won')!;
    assert.deepEqual(won.label, { en: 'Signed', ru: 'Подписана' }, 'the administrator\'s label is kept');
    assert.equal(won.color, '#15803d', 'an untouched property follows the shipped version');
    assert.equal(merged.stages.at(-1)?.name, 'onHold', 'a new shipped stage is added');
    const again = await applyShippedMetadata({ deps: api.platform.metadata, logger: createCapturingLogger().logger, appsDir: apps, systemDir: SYSTEM_METADATA_DIR });
    assert.deepEqual(again, { created: [], updated: [] }, 'applying the same files again writes nothing');
  });
});
