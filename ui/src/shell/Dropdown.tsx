import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/** A button opening a menu; Escape or a click outside closes it and focus returns to the button. */
export function Dropdown(props: { label: ComponentChildren; title: string; children: (close: () => void) => ComponentChildren; class?: string }) {
  const [isOpen, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!isOpen) return;
    const onDown = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen]);
  return (
    <div class="dropdown" ref={root}>
      <button ref={button} type="button" class={props.class ?? 'ghost'} aria-haspopup="true" aria-expanded={isOpen} aria-label={props.title} title={props.title} onClick={() => setOpen(!isOpen)}>
        {props.label}
      </button>
      {isOpen && <div class="menu" style="padding:6px">{props.children(() => setOpen(false))}</div>}
    </div>
  );
}
