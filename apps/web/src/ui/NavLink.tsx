import type { MouseEvent, ReactNode } from 'react';
import { navigate, usePath } from './navigation';

/** A real link (opens in a new tab, shows its address) that navigates in place on a plain click. */
export function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const path = usePath();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className="nav-link" aria-current={path === to ? 'page' : undefined}>
      {children}
    </a>
  );
}
