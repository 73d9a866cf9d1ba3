/**
 * The stages of a pipeline as a table: order (move up/down), name, labels,
 * colour, probability, kind, which stages may follow and which fields are
 * required to enter. It edits the pipeline document that the JSON editor
 * shows; other stage settings (guards …) are kept as they are.
 */
import type { EntityDefinition, StageDefinition } from '../../../core/metadata/types.ts';
import { loc, t } from '../lib/i18n.ts';

const KINDS: StageDefinition['kind'][] = ['open', 'won', 'lost'];

export function StageDesigner(props: { stages: StageDefinition[]; entity: EntityDefinition | undefined; onChange: (stages: StageDefinition[]) => void }) {
  const { stages } = props;
  const set = (index: number, patch: Partial<StageDefinition>) => props.onChange(stages.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const move = (index: number, by: number) => {
    const next = [...stages];
    const [stage] = next.splice(index, 1);
    next.splice(index + by, 0, stage!);
    props.onChange(next);
  };
  const toggle = (list: string[] | undefined, value: string) => (list?.includes(value) ? list.filter((v) => v !== value) : [...(list ?? []), value]);
  const fields = props.entity?.fields.filter((f) => !f.retired && f.type !== 'computed') ?? [];
  return (
    <div class="panel" style="overflow:auto;grid-column:1 / -1">
      <h2>{t('stage')}</h2>
      <table class="grid">
        <thead>
          <tr><th /><th>{t('fieldName')}</th><th>{t('labelEn')}</th><th>{t('labelRu')}</th><th>{t('probability')}</th><th>{t('stageKind')}</th><th>{t('nextStages')}</th><th>{t('isRequired')}</th></tr>
        </thead>
        <tbody>
          {stages.map((stage, index) => (
            <tr key={index} style={{ borderLeft: `3px solid ${stage.color ?? 'transparent'}` }}>
              <td>
                <button type="button" class="ghost" aria-label={`${t('moveUp')}: ${stage.name}`} disabled={index === 0} onClick={() => move(index, -1)}>↑</button>
                <button type="button" class="ghost" aria-label={`${t('moveDown')}: ${stage.name}`} disabled={index === stages.length - 1} onClick={() => move(index, 1)}>↓</button>
                <input type="color" aria-label={`${t('colour')}: ${stage.name}`} value={stage.color ?? '#64748b'} onInput={(e) => set(index, { color: e.currentTarget.value })} style="width:28px;padding:0" />
              </td>
              <td><input aria-label={`${t('fieldName')} ${index + 1}`} value={stage.name} onInput={(e) => set(index, { name: e.currentTarget.value })} style="width:120px" /></td>
              <td><input aria-label={`${t('labelEn')} ${index + 1}`} value={stage.label.en} onInput={(e) => set(index, { label: { ...stage.label, en: e.currentTarget.value } })} style="width:130px" /></td>
              <td><input aria-label={`${t('labelRu')} ${index + 1}`} value={stage.label.ru ?? ''} onInput={(e) => set(index, { label: { ...stage.label, ru: e.currentTarget.value } })} style="width:130px" /></td>
              <td><input aria-label={`${t('probability')}: ${stage.name}`} type="number" min="0" max="100" value={stage.probability ?? ''} onInput={(e) => set(index, { probability: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value) })} style="width:60px" /></td>
              <td>
                <select aria-label={`${t('stageKind')}: ${stage.name}`} value={stage.kind} onChange={(e) => set(index, { kind: e.currentTarget.value as StageDefinition['kind'] })}>
                  {KINDS.map((kind) => <option key={kind} value={kind}>{kind}</option>)}
                </select>
              </td>
              <td style="white-space:normal;min-width:180px">
                {stages.filter((other) => other.name !== stage.name).map((other) => (
                  <button key={other.name} type="button" class="chip" aria-pressed={stage.next === undefined || stage.next.includes(other.name)} onClick={() => set(index, { next: toggle(stage.next ?? stages.filter((s) => s.name !== stage.name).map((s) => s.name), other.name) })}>
                    {loc(other.label, other.name)}
                  </button>
                ))}
              </td>
              <td style="white-space:normal;min-width:180px">
                {fields.map((field) => (
                  <button key={field.name} type="button" class="chip" aria-pressed={stage.requiredFields?.includes(field.name) ?? false} onClick={() => set(index, { requiredFields: toggle(stage.requiredFields, field.name) })}>
                    {loc(field.label, field.name)}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => props.onChange([...stages, { name: `stage${stages.length + 1}`, label: { en: `Stage ${stages.length + 1}` }, kind: 'open' }])}>+ {t('addStage')}</button>
    </div>
  );
}
