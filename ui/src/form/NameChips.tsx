/**
 * Picking names of metadata documents (a user's roles, business
 * directions) as chips instead of typing a JSON list.
 */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../lib/api.ts';
import { loc, type LocalizedText } from '../lib/i18n.ts';

export function NameChips(props: { id: string; label: string; kind: 'roles' | 'directions'; value: unknown; onChange: (value: string[]) => void }) {
  const [options, setOptions] = useState<Array<{ name: string; label: LocalizedText }>>([]);
  useEffect(() => {
    void get<{ items: Array<{ name: string; label: LocalizedText }> }>(`/meta/${props.kind}`).then((d) => setOptions(d.items)).catch(() => setOptions([]));
  }, [props.kind]);
  const chosen = new Set(Array.isArray(props.value) ? (props.value as string[]) : []);
  return (
    <div id={props.id} role="group" aria-label={props.label} style="display:flex;flex-wrap:wrap;gap:4px">
      {options.map((option) => (
        <button
          key={option.name}
          type="button"
          class="chip"
          aria-pressed={chosen.has(option.name)}
          onClick={() => {
            const next = new Set(chosen);
            if (next.has(option.name)) next.delete(option.name);
            else next.add(option.name);
            props.onChange([...next]);
          }}
        >
          {loc(option.label, option.name)}
        </button>
      ))}
    </div>
  );
}
