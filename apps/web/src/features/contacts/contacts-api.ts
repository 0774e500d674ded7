import type { Contact, ContactSort, Page, ContactRequest } from '@tenantry/contracts';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const KEY = ['contacts'] as const;

/** Contacts matching `q`, in pages of 20, loaded on demand. */
export function useContacts(q: string, sort: ContactSort) {
  return useInfiniteQuery({
    queryKey: [...KEY, { q, sort }],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ sort, limit: '20' });
      if (q) params.set('q', q);
      if (pageParam) params.set('cursor', pageParam);
      return api<Page<Contact>>(`/contacts?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useSaveContact() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: ContactRequest }) =>
      api<Contact>(id ? `/contacts/${id}` : '/contacts', { method: id ? 'PATCH' : 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteContact() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/contacts/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
