/**
 * The result of a rule's dry run (`POST /meta/rules/:name/simulate`): the
 * records it would change now and those it would have changed in the past
 * period, each with its planned actions (refusals shown). Nothing changes.
 */
import { formatDate, formatNumber, t } from '../lib/i18n.ts';
import { Link } from '../shell/Link.tsx';

interface Item {
  id: string;
  title: unknown;
  at?: string;
  actions: Array<Record<string, unknown>>;
}

export interface Simulation {
  rule: string;
  enabled: boolean;
  now: Item[];
  past: Item[];
  period: { from: string; to: string };
  scanned: number;
  truncated: boolean;
}

function actionText(action: Record<string, unknown>): string {
  const { kind, refused, failed, ...detail } = action;
  const parts = Object.entries(detail).map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return `${String(kind)}${parts.length ? ` (${parts.join(', ')})` : ''}${refused ? ` — ${t('moveRefused')}: ${JSON.stringify(refused)}` : ''}${failed ? ` — ${JSON.stringify(failed)}` : ''}`;
}

function Items(props: { entity: string; items: Item[] }) {
  if (props.items.length === 0) return <p class="faint">—</p>;
  return (
    <ul class="timeline">
      {props.items.slice(0, 50).map((item, index) => (
        <li key={`${item.id}:${index}`}>
          <span class="dot" aria-hidden="true" style={{ background: item.actions.some((a) => a.refused) ? 'var(--danger)' : 'var(--accent)' }} />
          <div>
            <Link href={`/e/${props.entity}/${item.id}`}>{typeof item.title === 'string' && item.title ? item.title : `#${item.id.slice(-6)}`}</Link>
            {item.at && <span class="faint"> · {formatDate(item.at, true)}</span>}
            {item.actions.map((action, i) => <div key={i} class="muted">{actionText(action)}</div>)}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function DryRunResult(props: { entity: string; simulation: Simulation }) {
  const { simulation } = props;
  return (
    <div class="panel" role="status" data-testid="dry-run">
      <h2>{t('dryRunResult', { now: formatNumber(simulation.now.length), past: formatNumber(simulation.past.length) })}</h2>
      <div class="muted">{t('dryRunScanned', { scanned: formatNumber(simulation.scanned), from: formatDate(simulation.period.from, false), to: formatDate(simulation.period.to, false) })}{simulation.truncated ? ' …' : ''}</div>
      <div class="cols-2">
        <div><h3>{t('today')}</h3><Items entity={props.entity} items={simulation.now} /></div>
        <div><h3>{t('history')}</h3><Items entity={props.entity} items={simulation.past} /></div>
      </div>
    </div>
  );
}
