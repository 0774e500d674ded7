import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { refreshSession } from './api/client';
import { bootBranding } from './boot/branding';
import { App } from './features/app/App';
import './ui/styles.css';

const boot = await bootBranding();
// The access token lives in memory only: after a reload, the refresh cookie restores the session.
if (boot.kind !== 'error') await refreshSession();
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 10_000 } } });
if (boot.kind !== 'error') queryClient.setQueryData(['branding'], boot.branding);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App boot={boot} />
    </QueryClientProvider>
  </StrictMode>,
);
