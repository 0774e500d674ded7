import type { MaintenanceStatus, MaintenanceWindow } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, MAINTENANCE_EVENT } from '../../api/client';

const STATUS_KEY = ['maintenance'] as const;
const WINDOWS_KEY = ['platform', 'maintenance', 'windows'] as const;
/** How often the maintenance page asks whether it is over. */
export const POLL_MS = 3_000;

/**
 * Whether the platform is in maintenance: asked at start, again whenever an
 * API call answers 503 MAINTENANCE, and every few seconds while it lasts.
 */
export function useMaintenanceStatus() {
  const client = useQueryClient();
  useEffect(() => {
    const recheck = () => void client.invalidateQueries({ queryKey: STATUS_KEY });
    window.addEventListener(MAINTENANCE_EVENT, recheck);
    return () => window.removeEventListener(MAINTENANCE_EVENT, recheck);
  }, [client]);
  return useQuery({
    queryKey: STATUS_KEY,
    queryFn: () => api<MaintenanceStatus>('/maintenance'),
    refetchInterval: (query) => (query.state.data?.active ? POLL_MS : false),
    staleTime: 0,
  });
}

export function useSetMaintenance() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: { active: boolean; message?: string | null; endsAt?: string | null }) =>
      api<MaintenanceStatus>('/platform/maintenance', { method: 'PUT', body: change }),
    onSuccess: (status) => client.setQueryData(STATUS_KEY, status),
  });
}

export function useMaintenanceWindows() {
  return useQuery({ queryKey: WINDOWS_KEY, queryFn: () => api<MaintenanceWindow[]>('/platform/maintenance/windows') });
}

export function useAddMaintenanceWindow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (w: {
      dayOfWeek: number;
      startTime: string;
      durationMinutes: number;
      timeZone: string;
      message: string | null;
    }) => api<MaintenanceWindow>('/platform/maintenance/windows', { method: 'POST', body: w }),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: WINDOWS_KEY }),
        client.invalidateQueries({ queryKey: STATUS_KEY }),
      ]),
  });
}

export function useRemoveMaintenanceWindow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/platform/maintenance/windows/${id}`, { method: 'DELETE' }),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: WINDOWS_KEY }),
        client.invalidateQueries({ queryKey: STATUS_KEY }),
      ]),
  });
}
