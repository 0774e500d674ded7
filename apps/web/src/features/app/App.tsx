import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  RouterProvider,
  useParams,
} from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import type { BootResult } from '../../boot/branding';
import { ConfirmProvider } from '../../ui/ConfirmDialog';
import { browserHistory, usePath } from '../../ui/navigation';
import { Notice } from '../../ui/Notice';
import { Toaster } from '../../ui/Toaster';
import { LoginPage } from '../auth/LoginPage';
import { SignupPage } from '../auth/SignupPage';
import { useSession } from '../auth/use-session';
import { FeatureGate } from '../flags/FeatureGate';
import { MaintenancePage } from '../maintenance/MaintenancePage';
import { useMaintenanceStatus } from '../maintenance/maintenance-api';
import { TenantPickerPage } from '../tenant/TenantPickerPage';
import { AppShell } from './AppShell';
import { type AppPage, APP_PAGES, NotForYou, PUBLIC_PAGES } from './pages';

/**
 * The app: one route per page (pages.tsx), under the gate that decides whether
 * any page shows; every page can toast (useToast) and ask before destroying (useConfirm).
 */
export function App({ boot }: { boot: BootResult }) {
  const [router] = useState(() => createRouter({ routeTree, history: browserHistory(), context: { boot } }));
  return (
    <Toaster>
      <ConfirmProvider>
        <RouterProvider router={router} />
      </ConfirmProvider>
    </Toaster>
  );
}

const root = createRootRouteWithContext<{ boot: BootResult }>()({
  component: Gate,
  notFoundComponent: PageNotFound,
});

const routeTree = root.addChildren([
  ...APP_PAGES.map((page) =>
    createRoute({ getParentRoute: () => root, path: page.path, component: () => <Page page={page} /> }),
  ),
  ...PUBLIC_PAGES.map((page) => createRoute({ getParentRoute: () => root, path: page.path, component: page.render })),
]);

const PUBLIC_PATHS = new Set(PUBLIC_PAGES.map((page) => page.path));

/**
 * Whether any page shows, from what boot found out, maintenance, and whether
 * someone is signed in; then the page of the address (inside the shell for
 * signed-in pages, on its own for an emailed link's).
 */
function Gate() {
  const { boot } = root.useRouteContext();
  const current = useSession();
  const path = usePath();
  const [screen, setScreen] = useState<'picker' | 'operator' | 'signup'>('picker');
  // Operators work through maintenance; everyone else sees the page until it ends, then a fresh app.
  const maintenance = useMaintenanceStatus().data;
  const down =
    !!maintenance?.active &&
    current?.user.platformRole !== 'super_admin' &&
    !current?.impersonation &&
    screen !== 'operator';
  const wasDown = useRef(false);
  useEffect(() => {
    if (down) wasDown.current = true;
    else if (wasDown.current) location.reload();
  }, [down]);
  if (down)
    return (
      <MaintenancePage
        status={maintenance}
        onOperatorLogin={boot.kind === 'platform' && !current ? () => setScreen('operator') : undefined}
      />
    );
  if (boot.kind === 'error') {
    if (boot.code === 'TENANT_NOT_FOUND') return <TenantPickerPage notice="There is no tenant at this address." />;
    if (boot.code === 'TENANT_SUSPENDED') {
      const reason = typeof boot.details?.reason === 'string' ? boot.details.reason : null;
      return (
        <Notice title="This workspace is suspended">
          {reason ? `${reason} ` : ''}Ask your administrator or the platform operator to reactivate it.
        </Notice>
      );
    }
    return <Notice title="Tenantry is unavailable">{boot.message}</Notice>;
  }
  if (PUBLIC_PATHS.has(path)) return <Outlet />;
  if (!current) {
    if (boot.kind === 'tenant') return <LoginPage tenantName={boot.branding.name} branded />;
    if (screen === 'signup') return <SignupPage onCancel={() => setScreen('picker')} />;
    if (screen === 'operator') return <LoginPage tenantName="the platform console" sso={false} />;
    return <TenantPickerPage onOperatorLogin={() => setScreen('operator')} onSignup={() => setScreen('signup')} />;
  }
  return (
    <AppShell session={current}>
      <Outlet />
    </AppShell>
  );
}

/** A signed-in page (the gate shows none otherwise): for whom it declares, with the plan feature it needs. */
function Page({ page }: { page: AppPage }) {
  const session = useSession()!;
  const params = useParams({ strict: false }) as Record<string, string>;
  if (!page.allowed(session)) return <NotForYou session={session} />;
  const content = page.render(session, params);
  return page.feature ? <FeatureGate feature={page.feature}>{content}</FeatureGate> : content;
}

function PageNotFound() {
  return <Notice title="Page not found">There is nothing at {usePath()}.</Notice>;
}
