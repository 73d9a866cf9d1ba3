/**
 * Picks a record of another entity: type to search (`q`, full-text over its
 * searchable fields), arrows and Enter to choose, Escape to close.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, qs } from '../lib/api.ts';
import { t } from '../lib/i18n.ts';
import { entityByName, titleOf } from '../lib/meta.ts';

export interface PickedRecord {
  id: string;
  title: string;
}

export function ReferencePicker(props: { entity: string; value: PickedRecord | null; onChange: (value: PickedRecord | null) => void; id?: string; label: string; isInvalid?: boolean }) {
  const target = entityByName(props.entity);
  const [text, setText] = useState('');
  const [items, setItems] = useState<PickedRecord[]>([]);
  const [isOpen, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    if (!isOpen || !target) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      const fields = ['_id', target.titleField].filter(Boolean).join(',');
      get<{ items: Array<Record<string, unknown>> }>(`/data/${target.name}${qs({ q: text.trim() || undefined, limit: 10, count: 'false', fields, sort: target.titleField })}`)
        .then((page) => {
          if (mine === seq.current) setItems(page.items.map((record) => ({ id: String(record._id), title: titleOf(target, record) })));
        })
        .catch(() => setItems([]));
    }, 150);
    return () => clearTimeout(timer);
  }, [text, isOpen, props.entity]);
  const choose = (item: PickedRecord | null) => {
    props.onChange(item);
    setOpen(false);
    setText('');
  };
  const listId = `${props.id ?? props.entity}-options`;
  return (
    <div class="picker">
      <input
        id={props.id}
        type="text"
        role="combobox"
        aria-label={props.label}
        aria-expanded={isOpen}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={props.isInvalid ? 'true' : undefined}
        placeholder={props.value ? props.value.title : t('pick')}
        value={isOpen ? text : props.value?.title ?? ''}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onInput={(e) => {
          setText(e.currentTarget.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive(Math.min(active + 1, items.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive(Math.max(active - 1, 0));
          } else if (e.key === 'Enter' && isOpen && items[active]) {
            e.preventDefault();
            choose(items[active]!);
          } else if (e.key === 'Escape') setOpen(false);
        }}
      />
      {props.value && (
        <button type="button" class="ghost" aria-label={`${t('clear')} ${props.label}`} style="position:absolute;right:2px;top:0" onClick={() => choose(null)}>
          ×
        </button>
      )}
      {isOpen && items.length > 0 && (
        <ul class="picker-menu" role="listbox" id={listId}>
          {items.map((item, index) => (
            <li key={item.id} role="option" aria-selected={index === active} onMouseDown={(e) => { e.preventDefault(); choose(item); }}>
              {item.title}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
