/**
 * A visual builder for the json-logic conditions of rules: "all of" / "any
 * of" a list of comparisons between a field of the rule's entity and a
 * value. It reads and writes plain json-logic; a condition it cannot show
 * (nested groups, other operators) is left to the JSON editor.
 */
import type { EntityDefinition } from '../../../core/metadata/types.ts';
import { loc, t } from '../lib/i18n.ts';
import { visibleFields } from '../lib/meta.ts';

/** Context variables a rule condition may read besides the record's fields (core/rules/context-vars.ts). */
const CONTEXT_VARS = ['_daysInStage', '_daysSinceActivity', '_now'];

const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', '!!', '!'] as const;
type Operator = (typeof OPERATORS)[number];
interface Row {
  op: Operator;
  field: string;
  value: string;
}
export interface Builder {
  combinator: 'and' | 'or';
  rows: Row[];
}

const isUnary = (op: Operator) => op === '!!' || op === '!';

/** json-logic → builder rows, or null when the condition is beyond the builder. */
export function parseCondition(condition: unknown): Builder | null {
  if (condition === undefined || condition === null) return { combinator: 'and', rows: [] };
  if (typeof condition !== 'object' || Array.isArray(condition)) return null;
  const [key] = Object.keys(condition);
  const group = (condition as Record<string, unknown>)[key!];
  const combinator = key === 'and' || key === 'or' ? key : null;
  const items = combinator ? (Array.isArray(group) ? group : null) : [condition];
  if (!items) return null;
  const rows: Row[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) return null;
    const [op] = Object.keys(item);
    if (!OPERATORS.includes(op as Operator)) return null;
    const args = (item as Record<string, unknown>)[op!];
    const list = Array.isArray(args) ? args : [args];
    const variable = list[0] as { var?: unknown } | undefined;
    if (typeof variable?.var !== 'string') return null;
    rows.push({ op: op as Operator, field: variable.var, value: list.length > 1 ? (typeof list[1] === 'string' ? list[1] : JSON.stringify(list[1])) : '' });
  }
  return { combinator: combinator ?? 'and', rows };
}

/** Numbers, true/false and null as such; anything else is text (typed without quotes). */
function parseValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false' || trimmed === 'null' || /^-?\d+(\.\d+)?$/.test(trimmed)) return JSON.parse(trimmed);
  return text;
}

export function toCondition(builder: Builder): unknown {
  const rows = builder.rows.filter((row) => row.field);
  if (rows.length === 0) return undefined;
  const items = rows.map((row) => (isUnary(row.op) ? { [row.op]: [{ var: row.field }] } : { [row.op]: [{ var: row.field }, parseValue(row.value)] }));
  return { [builder.combinator]: items };
}

export function ConditionBuilder(props: { entity: EntityDefinition | undefined; value: Builder; onChange: (value: Builder) => void }) {
  const { value } = props;
  const fields = props.entity ? visibleFields(props.entity) : [];
  const update = (index: number, row: Partial<Row>) => props.onChange({ ...value, rows: value.rows.map((r, i) => (i === index ? { ...r, ...row } : r)) });
  return (
    <fieldset class="panel" style="display:grid;gap:6px;align-content:start">
      <legend>{t('condition')}</legend>
      <select aria-label={t('condition')} value={value.combinator} onChange={(e) => props.onChange({ ...value, combinator: e.currentTarget.value as Builder['combinator'] })} style="width:auto">
        <option value="and">{t('matchAll')}</option>
        <option value="or">{t('matchAny')}</option>
      </select>
      {value.rows.map((row, index) => (
        <div key={index} style="display:flex;gap:6px;align-items:center">
          <select aria-label={t('fields')} value={row.field} onChange={(e) => update(index, { field: e.currentTarget.value })}>
            <option value="">—</option>
            {fields.map((f) => <option key={f.name} value={f.name}>{loc(f.label, f.name)}</option>)}
            {CONTEXT_VARS.map((name) => <option key={name} value={name}>{name}</option>)}
            {row.field && !fields.some((f) => f.name === row.field) && !CONTEXT_VARS.includes(row.field) && <option value={row.field}>{row.field}</option>}
          </select>
          <select aria-label={t('operator')} value={row.op} onChange={(e) => update(index, { op: e.currentTarget.value as Operator })}>
            {OPERATORS.map((op) => <option key={op} value={op}>{op === '!!' ? t('isSet') : op === '!' ? t('isEmpty') : op}</option>)}
          </select>
          {!isUnary(row.op) && <input aria-label={t('value')} value={row.value} onInput={(e) => update(index, { value: e.currentTarget.value })} />}
          <button type="button" class="ghost" aria-label={t('delete')} onClick={() => props.onChange({ ...value, rows: value.rows.filter((_, i) => i !== index) })}>×</button>
        </div>
      ))}
      <div><button type="button" onClick={() => props.onChange({ ...value, rows: [...value.rows, { op: '==', field: '', value: '' }] })}>+ {t('addCondition')}</button></div>
    </fieldset>
  );
}
