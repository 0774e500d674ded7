import { useEffect, useRef } from 'react';
import { forgetSearchAndHash } from './navigation';

let taken: string | null = null;

/**
 * The token of an emailed link (`…#token=…`). It travels in the fragment, so
 * it never reaches a server log; it is read once and removed from the address bar.
 */
export function takeLinkToken(): string {
  if (taken === null) {
    taken = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    if (taken) forgetSearchAndHash();
  }
  return taken;
}

/**
 * For a page whose emailed link acts as it opens: hands the token to `send`
 * once (also under StrictMode's double effects: the link is single-use) and
 * returns it ('' when the link had none).
 */
export function useSendLinkTokenOnce(send: (token: string) => void): string {
  const token = takeLinkToken();
  const sent = useRef(false);
  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    send(token);
  }, [token, send]);
  return token;
}
