/** moveToStage: through the same checks as a manual transition; a refusal is recorded. */
import type { RuleAction } from '../../metadata/types.ts';
import { transitionProblems } from '../../pipelines/checks.ts';
import { pipelineOf } from '../../pipelines/lookup.ts';
import { transitionRecord } from '../../pipelines/operations/transition.ts';
import { errorsOf, isRefusal, retryOnConflict, type ActionHandler } from './types.ts';

type MoveToStage = Extract<RuleAction, { kind: 'moveToStage' }>;

export const moveToStage: ActionHandler<MoveToStage> = {
  async plan({ runtime, action, entity, record, now }) {
    const detail = { from: record.stage ?? null, stage: action.stage };
    const pipeline = pipelineOf(runtime.records.registry.snapshot, entity);
    if (!pipeline) return { kind: 'moveToStage', isChange: true, detail, failed: [{ path: '/stage', message: `${entity.name} has no pipeline` }] };
    // Already there: moving again changes nothing (what makes a rule re-triggering itself harmless).
    if (record.stage === action.stage) return { kind: 'moveToStage', isChange: false, detail };
    const problems = transitionProblems({ pipeline, record, to: action.stage, locale: 'en' });
    if (problems.length > 0) return { kind: 'moveToStage', isChange: true, detail, refused: problems };
    return { kind: 'moveToStage', isChange: true, detail, effect: { stage: action.stage, stageEnteredAt: now } };
  },

  async apply({ runtime, action, entity, record, plan, ctx, depth }) {
    // A planned refusal is tried anyway: the transition's own checks, on the record as stored now, decide.
    if (plan.failed) return { kind: 'moveToStage', status: 'failed', detail: plan.detail, errors: plan.failed };
    try {
      await retryOnConflict(() => transitionRecord({ ctx, deps: runtime.records, entity: entity.name, id: String(record._id), request: { stage: action.stage }, ruleDepth: depth + 1 }));
      return { kind: 'moveToStage', status: 'done', detail: plan.detail };
    } catch (error) {
      return { kind: 'moveToStage', status: isRefusal(error) ? 'refused' : 'failed', detail: plan.detail, errors: errorsOf(error) };
    }
  },
};
