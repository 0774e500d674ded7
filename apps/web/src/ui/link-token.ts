let taken: string | null = null;

/**
 * The token of an emailed link (`…#token=…`). It travels in the fragment, so
 * it never reaches a server log; it is read once and removed from the address bar.
 */
export function takeLinkToken(): string {
  if (taken === null) {
    taken = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    if (taken) history.replaceState(null, '', location.pathname);
  }
  return taken;
}
