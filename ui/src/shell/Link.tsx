import type { ComponentChildren } from 'preact';
import { navigate, route } from '../lib/router.ts';

/** An in-app link: a real href (open in new tab works), navigated without reload. */
export function Link(props: { href: string; children: ComponentChildren; class?: string; isNav?: boolean; title?: string }) {
  const isCurrent = props.isNav && (route.value.path === props.href || route.value.path.startsWith(`${props.href}/`));
  return (
    <a
      href={props.href}
      class={props.class}
      title={props.title}
      aria-current={isCurrent ? 'page' : undefined}
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
