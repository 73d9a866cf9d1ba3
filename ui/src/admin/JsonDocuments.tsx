/**
 * Pipelines and rules: each document edited as JSON (validated by the
 * server's meta-schemas; errors shown with their paths), saved with If-Match
 * on its revision. Rules also get the visual condition builder and a dry run
 * (`POST /meta/rules/:name/simulate`) before they are enabled.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post, request } from '../lib/api.ts';
import { loc, t, type LocalizedText } from '../lib/i18n.ts';
import { entityByName } from '../lib/meta.ts';
import type { StageDefinition } from '../../../core/metadata/types.ts';
import { ConditionBuilder, parseCondition, toCondition, type Builder } from './ConditionBuilder.tsx';
import { StageDesigner } from './StageDesigner.tsx';
import { DryRunResult, type Simulation } from './DryRun.tsx';

interface Document {
  name: string;
  label: LocalizedText;
  entity?: string;
  condition?: unknown;
  revision?: number;
  [key: string]: unknown;
}

function quietParse(text: string): Document | null {
  try {
    return JSON.parse(text) as Document;
  } catch {
    return null;
  }
}

export function JsonDocuments(props: { kind: 'pipelines' | 'rules' }) {
  const [items, setItems] = useState<Document[]>([]);
  const [current, setCurrent] = useState<Document | null>(null);
  const [text, setText] = useState('');
  const [builder, setBuilder] = useState<Builder | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [simulation, setSimulation] = useState<Simulation | null>(null);
  const choose = (doc: Document | null) => {
    setCurrent(doc);
    setResult(null);
    setSimulation(null);
    if (!doc) return setText('');
    const { revision: _revision, ...rest } = doc;
    setText(JSON.stringify(rest, null, 2));
    setBuilder(props.kind === 'rules' ? parseCondition(doc.condition) : null);
  };
  const refresh = (name?: string) =>
    void get<{ items: Document[] }>(`/meta/${props.kind}`).then((d) => {
      setItems(d.items);
      choose(d.items.find((i) => i.name === (name ?? current?.name)) ?? d.items[0] ?? null);
    });
  useEffect(() => refresh(), [props.kind]);

  const parsed = (): Document | null => {
    try {
      return JSON.parse(text) as Document;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return null;
    }
  };
  const save = async () => {
    setError(null);
    const doc = parsed();
    if (!doc) return;
    try {
      const exists = items.some((i) => i.name === doc.name);
      if (exists) {
        const { name, ...patch } = doc;
        await request('PATCH', `/meta/${props.kind}/${name}`, { body: patch, ifMatch: items.find((i) => i.name === name)?.revision ?? null });
      } else await post(`/meta/${props.kind}`, doc);
      setResult(t('saved'));
      refresh(doc.name);
    } catch (caught) {
      setError(caught instanceof ApiError ? [caught.message, ...caught.errors.map((e) => `${e.path} ${e.message}`)].join(' · ') : t('errorGeneric'));
    }
  };
  const dryRun = async () => {
    setError(null);
    if (!current) return;
    try {
      const answer = await post<Simulation>(`/meta/rules/${current.name}/simulate`, {});
      setSimulation(answer.body);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('errorGeneric'));
    }
  };
  const onBuilder = (next: Builder) => {
    setBuilder(next);
    const doc = parsed();
    if (!doc) return;
    const condition = toCondition(next);
    if (condition === undefined) delete doc.condition;
    else doc.condition = condition;
    setText(JSON.stringify(doc, null, 2));
  };

  return (
    <section aria-labelledby="docs-title">
      <div class="page-head">
        <h1 id="docs-title">{t(props.kind)}</h1>
        <select aria-label={t(props.kind)} value={current?.name ?? ''} onChange={(e) => choose(items.find((i) => i.name === e.currentTarget.value) ?? null)}>
          {items.map((i) => <option key={i.name} value={i.name}>{loc(i.label, i.name)}</option>)}
        </select>
        <button type="button" onClick={() => { setCurrent(null); setText(JSON.stringify({ name: '', label: { en: '', ru: '' } }, null, 2)); setBuilder(props.kind === 'rules' ? { combinator: 'and', rows: [] } : null); }}>+ {t('create')}</button>
        <span class="spacer" />
        {props.kind === 'rules' && quietParse(text) && (
          <label>
            <input
              type="checkbox"
              checked={quietParse(text)?.enabled !== false}
              onChange={(e) => {
                const doc = quietParse(text);
                if (doc) setText(JSON.stringify({ ...doc, enabled: e.currentTarget.checked }, null, 2));
              }}
            />{' '}
            {t('enabled')}
          </label>
        )}
        {props.kind === 'rules' && current && <button type="button" onClick={() => void dryRun()}>{t('dryRun')}</button>}
        <button type="button" class="primary" onClick={() => void save()}>{t('save')}</button>
      </div>
      {error && <div class="alert" role="alert">{error}</div>}
      {result && <div class="alert ok" role="status">{result}</div>}
      {props.kind === 'rules' && <p class="muted">{t('dryRunSaveFirst')}</p>}
      {simulation && <DryRunResult entity={current?.entity ?? ''} simulation={simulation} />}
      <div class="cols-2">
        <label style="display:block">
          {t('json')}
          <textarea class="code" style="min-height:480px" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        {props.kind === 'pipelines' && Array.isArray(quietParse(text)?.stages) && (
          <StageDesigner
            stages={quietParse(text)!.stages as StageDefinition[]}
            entity={entityByName(String(quietParse(text)?.entity ?? ''))}
            onChange={(stages) => {
              const doc = quietParse(text);
              if (doc) setText(JSON.stringify({ ...doc, stages }, null, 2));
            }}
          />
        )}
        {builder && <ConditionBuilder entity={entityByName(current?.entity ?? quietParse(text)?.entity ?? '')} value={builder} onChange={onBuilder} />}
      </div>
    </section>
  );
}
