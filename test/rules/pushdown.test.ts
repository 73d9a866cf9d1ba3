import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cheapConjuncts, conditionFilter } from '../../core/rules/pushdown.ts';
import type { EntityDefinition, RuleDefinition } from '../../core/metadata/types.ts';

const deal: EntityDefinition = {
  name: 'deal',
  label: { en: 'Deal' },
  features: { pipeline: 'sales', direction: true },
  fields: [
    { name: 'title', type: 'text', label: { en: 'Title' } },
    { name: 'amount', type: 'money', label: { en: 'Amount' } },
    { name: 'kind', type: 'enum', label: { en: 'Kind' }, options: [{ value: 'a', label: { en: 'A' } }] },
  ],
};
const rule = (condition: unknown): RuleDefinition => ({ name: 'r', label: { en: 'r' }, entity: 'deal', trigger: { kind: 'schedule', cron: '* * * * *' }, condition, actions: [{ kind: 'moveToStage', stage: 'x' }] });

describe('sweep shortcuts read from a rule condition', () => {
  it('pushes string equalities and string lists of a top-level and into the query', () => {
    assert.deepEqual(conditionFilter(rule({ '==': [{ var: 'stage' }, 'proposal'] }), deal), { stage: 'proposal' });
    assert.deepEqual(conditionFilter(rule({ and: [{ '==': ['north', { var: 'direction' }] }, { and: [{ in: [{ var: 'kind' }, ['a', 'b']] }] }, { '>': [{ var: 'amount' }, 5] }] }), deal), { $and: [{ direction: 'north' }, { kind: { $in: ['a', 'b'] } }] });
  });

  it('pushes nothing it could get wrong: or, numbers (loose equality), defaults, paths, context variables, unknown fields', () => {
    for (const condition of [
      { or: [{ '==': [{ var: 'stage' }, 'a'] }, { '==': [{ var: 'stage' }, 'b'] }] },
      { '==': [{ var: 'amount' }, '5'] },
      { '==': [{ var: 'title' }, 5] },
      { '==': [{ var: ['stage', 'proposal'] }, 'proposal'] },
      { '==': [{ var: 'title.length' }, 'x'] },
      { '==': [{ var: '_event' }, 'schedule'] },
      { '==': [{ var: 'ghost' }, 'x'] },
      { '!=': [{ var: 'stage' }, 'won'] },
      { in: [{ var: 'stage' }, ['a', 1]] },
    ]) {
      assert.equal(conditionFilter(rule(condition), deal), undefined, JSON.stringify(condition));
    }
  });

  it('splits off the conjuncts that do not need the activity query', () => {
    const quiet = { '>': [{ var: '_daysSinceActivity' }, 14] };
    assert.deepEqual(cheapConjuncts(rule({ and: [{ '==': [{ var: 'stage' }, 'p'] }, quiet] })), { and: [{ '==': [{ var: 'stage' }, 'p'] }] });
    assert.equal(cheapConjuncts(rule(quiet)), null);
    assert.equal(cheapConjuncts(rule({ or: [{ '==': [{ var: 'stage' }, 'p'] }, quiet] })), null, 'an or needs every part');
  });
});
