import type { AuditAction, AuditEvent, Page } from '@tenantry/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface AuditFilter {
  actor: string;
  action: AuditAction | '';
  from: string;
  to: string;
}

/** A tenant's audit log at `path`, newest first, 50 entries a page. Dates are whole days in the viewer's time zone. */
export function useAuditEvents(path: string, filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit-events', path, filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (filter.actor) params.set('actor', filter.actor);
      if (filter.action) params.set('action', filter.action);
      if (filter.from) params.set('from', new Date(`${filter.from}T00:00`).toISOString());
      if (filter.to) params.set('to', new Date(new Date(`${filter.to}T00:00`).getTime() + 86_400_000).toISOString());
      if (pageParam) params.set('cursor', pageParam);
      return api<Page<AuditEvent>>(`${path}?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}
