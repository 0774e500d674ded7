import { useState } from 'react';
import type { BootResult } from '../../boot/branding';
import { LoginPage } from '../auth/LoginPage';
import { useSession } from '../auth/use-session';
import { ContactsPage } from '../contacts/ContactsPage';
import { TenantPickerPage } from '../tenant/TenantPickerPage';
import { AppShell } from './AppShell';
import { Notice } from '../../ui/Notice';

/** Chooses the screen from what boot found out and whether someone is signed in. */
export function App({ boot }: { boot: BootResult }) {
  const current = useSession();
  const [operatorLogin, setOperatorLogin] = useState(false);
  if (boot.kind === 'error') {
    if (boot.code === 'TENANT_NOT_FOUND') return <TenantPickerPage notice="There is no tenant at this address." />;
    if (boot.code === 'TENANT_SUSPENDED') {
      return <Notice title="This workspace is suspended">Ask your administrator or the platform operator to reactivate it.</Notice>;
    }
    return <Notice title="Tenantry is unavailable">{boot.message}</Notice>;
  }
  if (!current) {
    if (boot.kind === 'tenant') return <LoginPage tenantName={boot.branding.name} />;
    return operatorLogin ? <LoginPage tenantName="the platform console" /> : <TenantPickerPage onOperatorLogin={() => setOperatorLogin(true)} />;
  }
  return (
    <AppShell session={current}>
      {current.tenant ? (
        <ContactsPage role={current.role} />
      ) : (
        <Notice title="Signed in as platform operator">Pick a tenant to work in it; the platform console arrives with its own module.</Notice>
      )}
    </AppShell>
  );
}
