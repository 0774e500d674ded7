import type { PlatformMember, PlatformTenant } from '@tenantry/contracts';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { useUpdateTenant } from './console-api';
import { usePlatformMembers, useRequestConsent, useStartImpersonation } from './platform-api';

/** A tenant's members in the console, and acting as one of them for support (audited, with a reason). */
export function TenantSupport({ tenant }: { tenant: PlatformTenant }) {
  const members = usePlatformMembers(tenant.id);
  const consent = useUpdateTenant(tenant.id);
  const toast = useToast();
  const [target, setTarget] = useState<PlatformMember | null>(null);
  return (
    <section aria-labelledby="support-title">
      <h2 id="support-title">Support for {tenant.name}</h2>
      <label>
        <input
          type="checkbox"
          checked={tenant.impersonationConsentRequired}
          disabled={consent.isPending}
          onChange={(e) =>
            consent.mutate(
              { impersonationConsentRequired: e.target.checked },
              {
                onSuccess: (_t, { impersonationConsentRequired: required }) =>
                  toast.success(
                    required
                      ? 'Support sessions now need an owner’s approval'
                      : 'Support sessions no longer need an approval',
                  ),
                onError: (error) => toast.failure('The support setting was not changed', error),
              },
            )
          }
        />{' '}
        An owner must approve each support session
      </label>
      <table className="table">
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.data?.map((m) => (
            <tr key={m.userId}>
              <td>{m.email}</td>
              <td>{m.displayName}</td>
              <td>
                {m.role}
                {m.platformRole === 'super_admin' && <span className="badge">operator</span>}
              </td>
              <td className="actions">
                {m.platformRole !== 'super_admin' && (
                  <button
                    type="button"
                    className="button button-ghost"
                    onClick={() => setTarget(m)}
                    aria-label={`Act as ${m.email}`}
                  >
                    Act as…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {target && <ImpersonateForm tenant={tenant} member={target} onCancel={() => setTarget(null)} />}
    </section>
  );
}

function ImpersonateForm({
  tenant,
  member,
  onCancel,
}: {
  tenant: PlatformTenant;
  member: PlatformMember;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const start = useStartImpersonation();
  const request = useRequestConsent();
  const error = start.error instanceof ApiError ? start.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({ tenant, userId: member.userId, reason });
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="impersonate-title">
      <h2 id="impersonate-title">Act as {member.displayName}</h2>
      <p className="hint">
        For up to 60 minutes. The tenant sees the reason and every request in its audit log. Password, keys and security
        settings stay out of reach.
      </p>
      <TextField
        label="Reason"
        value={reason}
        onChange={setReason}
        placeholder="Ticket #1234: what you need to look at"
        required
        error={error?.fieldErrors.reason}
      />
      {error && error.code !== 'VALIDATION_FAILED' && (
        <p role="alert" className="error">
          {error.code === 'CONSENT_REQUIRED' ? 'This tenant requires an owner to approve first.' : error.message}
        </p>
      )}
      {error?.code === 'CONSENT_REQUIRED' && !request.isSuccess && (
        <button
          type="button"
          className="button button-ghost"
          onClick={() => request.mutate({ tenant, userId: member.userId, reason })}
          disabled={request.isPending}
        >
          Ask the owners to approve
        </button>
      )}
      {request.isSuccess && <p role="status">Request sent. Start again once an owner approved it.</p>}
      <span className="row">
        <button type="submit" className="button" disabled={start.isPending}>
          {start.isPending ? 'Starting…' : 'Start'}
        </button>
        <button type="button" className="button button-ghost" onClick={onCancel}>
          Cancel
        </button>
      </span>
    </form>
  );
}
