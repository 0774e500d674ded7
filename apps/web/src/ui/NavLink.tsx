import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';

/** A real link (opens in a new tab, shows its address) that navigates in place on a plain click; marked while its page is open. */
export function NavLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} className="nav-link" activeOptions={{ exact: true }} activeProps={{ 'aria-current': 'page' }}>
      {children}
    </Link>
  );
}
