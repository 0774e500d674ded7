import {
  type AuthTokenResponse,
  can,
  canAssignRole,
  type Invitation,
  TENANT_ROLES,
  type TenantRole,
} from '@tenantry/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { navigate } from '../../ui/navigation';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { useInvitations, useInvite, useResendInvitation, useRevokeInvitation } from './invitations-api';

/** On the Members page: invite by email, and the invitations not yet accepted. */
export function InvitationsSection({ session }: { session: AuthTokenResponse }) {
  const actor = session.role!;
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TenantRole>('member');
  const invitations = useInvitations();
  const invite = useInvite();
  const resend = useResendInvitation();
  const revoke = useRevokeInvitation();
  const confirm = useConfirm();
  const toast = useToast();
  const roleId = useId();
  const error = [invite.error, resend.error, revoke.error].find((e) => e instanceof ApiError);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(
      { email, role },
      {
        onSuccess: (sent) => {
          toast.success(`${sent.email} is invited as ${sent.role}`);
          setEmail('');
        },
        onError: () => toast.failure('The invitation was not sent'),
      },
    );
  };
  const onResend = (invitation: Invitation) =>
    resend.mutate(invitation.id, {
      onSuccess: () => toast.success(`A new invitation link is on its way to ${invitation.email}`),
      onError: () => toast.failure(`The invitation to ${invitation.email} was not resent`),
    });
  const onRevoke = async (invitation: Invitation) => {
    const confirmed = await confirm({
      title: `Revoke the invitation to ${invitation.email}?`,
      description: 'Its link stops working at once; inviting them again sends a new one.',
      confirmLabel: 'Revoke invitation',
    });
    if (confirmed)
      revoke.mutate(invitation.id, {
        onSuccess: () => toast.success(`The invitation to ${invitation.email} is revoked`),
        onError: () => toast.failure(`The invitation to ${invitation.email} was not revoked`),
      });
  };
  return (
    <section aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <form className="row" onSubmit={onSubmit}>
        <div className="grow">
          <TextField
            label="Email to invite"
            type="email"
            value={email}
            onChange={setEmail}
            required
            error={invite.error instanceof ApiError ? invite.error.fieldErrors.email : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as TenantRole)}>
            {TENANT_ROLES.filter((r) => canAssignRole(actor, null, r)).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button" disabled={invite.isPending}>
          {invite.isPending ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
      {invite.isSuccess && <p role="status">Invitation sent to {invite.data.email}.</p>}
      {error && (
        <p role="alert" className="error">
          {error.message}
          {error.code === 'SEAT_LIMIT_REACHED' && can(actor, 'billing.manage') && (
            <>
              {' '}
              <a
                href="/settings/billing"
                onClick={(e) => {
                  e.preventDefault();
                  navigate('/settings/billing');
                }}
              >
                Add seats in Billing
              </a>
            </>
          )}
        </p>
      )}
      {invitations.data && invitations.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Sent</th>
              <th>Status</th>
              <th className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.data.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{i.role}</td>
                <td>{new Date(i.sentAt).toLocaleString()}</td>
                <td>
                  <span className={i.status === 'expired' ? 'badge badge-muted' : 'badge'}>{i.status}</span>
                  <span className="hint">
                    {i.status === 'expired'
                      ? 'resend for a new link'
                      : `link works until ${new Date(i.expiresAt).toLocaleDateString()}`}
                  </span>
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button-ghost"
                    onClick={() => onResend(i)}
                    disabled={resend.isPending}
                    aria-label={`Resend invitation to ${i.email}`}
                  >
                    Resend
                  </button>
                  <button
                    type="button"
                    className="button button-ghost"
                    onClick={() => void onRevoke(i)}
                    disabled={revoke.isPending}
                    aria-label={`Revoke invitation to ${i.email}`}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {invitations.data?.length === 0 && <p className="hint">No open invitations.</p>}
    </section>
  );
}
