import type { RealtimeEvents } from '@tenantry/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { io } from 'socket.io-client';
import { session } from '../features/auth/session';
import { refreshSession } from './client';

// What each event makes stale: the views showing it refetch.
const STALE: Record<keyof RealtimeEvents, readonly string[]> = {
  'contacts.changed': ['contacts'],
  'members.changed': ['members'],
  'export.progress': ['exports'],
  'maintenance.changed': ['maintenance'],
};

/**
 * While signed in (the app shell is mounted), listens on the realtime channel and refreshes what other
 * people (or jobs) changed. The server closes the socket when the access
 * token expires: it reconnects with a refreshed one.
 */
export function useRealtime(): void {
  const client = useQueryClient();
  useEffect(() => {
    const socket = io({
      path: '/api/realtime',
      transports: ['websocket'],
      auth: (cb) => cb({ token: session.get()?.accessToken }),
    });
    for (const [event, keys] of Object.entries(STALE))
      socket.on(event, () => void client.invalidateQueries({ queryKey: keys }));
    socket.on('disconnect', (reason) => {
      // Closed by the server (token expired or membership ended): try again with a fresh token, if the session lives on.
      if (reason === 'io server disconnect') void refreshSession().then((ok) => ok && socket.connect());
    });
    return () => {
      socket.disconnect();
    };
  }, [client]);
}
