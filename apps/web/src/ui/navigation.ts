import { createBrowserHistory, type RouterHistory } from '@tanstack/react-router';
import { useSyncExternalStore } from 'react';

let history: RouterHistory | undefined;

/**
 * The address bar, as the router sees it: every navigation goes through it, so
 * the router and anything reading the path agree. The API serves index.html for
 * every page path, so links can be shared and reloaded.
 */
export function browserHistory(): RouterHistory {
  history ??= createBrowserHistory();
  return history;
}

/** Client-side navigation to `path` (it may carry a query string). */
export function navigate(path: string): void {
  if (path === `${location.pathname}${location.search}`) return;
  browserHistory().push(path);
}

/** Drops the query string and fragment from the address without a new history entry (a link's one-time token). */
export function forgetSearchAndHash(): void {
  browserHistory().replace(location.pathname);
}

export function usePath(): string {
  const history = browserHistory();
  return useSyncExternalStore(history.subscribe, () => history.location.pathname);
}
