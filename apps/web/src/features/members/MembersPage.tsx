import {
  type AuthTokenResponse,
  can,
  canAssignRole,
  type Member,
  TENANT_ROLES,
  type TenantRole,
} from '@tenantry/contracts';
import { useDeferredValue, useState } from 'react';
import { ApiError } from '../../api/client';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { InvitationsSection } from '../invitations/InvitationsSection';
import { SupportAccessSection } from '../platform/SupportAccessSection';
import { useChangeRole, useMembers, useRemoveMember } from './members-api';

/** Settings → Members: who belongs to the tenant, with which role. */
export function MembersPage({ session }: { session: AuthTokenResponse }) {
  const [q, setQ] = useState('');
  const members = useMembers(useDeferredValue(q.trim()));
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const confirm = useConfirm();
  const toast = useToast();
  const actor = session.role!;
  const error = [changeRole.error, remove.error].find((e) => e instanceof ApiError);
  const rows = members.data?.pages.flatMap((p) => p.items) ?? [];

  const onRemove = async (m: Member) => {
    const confirmed = await confirm({
      title: `Remove ${m.email} from ${session.tenant?.name}?`,
      description: 'They lose access at once, with their role; the records they made stay.',
      confirmLabel: 'Remove member',
    });
    if (confirmed)
      remove.mutate(m.id, {
        onSuccess: () => toast.success(`${m.email} removed`),
        onError: () => toast.failure(`${m.email} was not removed`),
      });
  };
  const onChangeRole = (m: Member, role: TenantRole) =>
    changeRole.mutate(
      { id: m.id, role },
      {
        onSuccess: () => toast.success(`${m.email} is now ${role}`),
        onError: () => toast.failure(`The role of ${m.email} was not changed`),
      },
    );

  return (
    <>
      <section aria-labelledby="members-title">
        <div className="row spread">
          <h1 id="members-title">Members</h1>
        </div>
        <div className="row">
          <div className="grow">
            <TextField label="Search members" value={q} onChange={setQ} placeholder="Email or name" />
          </div>
        </div>
        {error && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        {members.isError && (
          <p role="alert" className="error">
            {(members.error as Error).message}
          </p>
        )}
        <table className="table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Role</th>
              <th>Joined</th>
              <th className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.email}
                  {m.userId === session.user.id && <span className="badge">you</span>}
                </td>
                <td>{m.displayName}</td>
                <td>
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    disabled={changeRole.isPending}
                    onChange={(e) => onChangeRole(m, e.target.value as TenantRole)}
                  >
                    {TENANT_ROLES.map((role) => (
                      <option key={role} value={role} disabled={role !== m.role && !canAssignRole(actor, m.role, role)}>
                        {role}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{new Date(m.joinedAt).toLocaleDateString()}</td>
                <td className="actions">
                  {canAssignRole(actor, m.role, 'viewer') && m.userId !== session.user.id && (
                    <button
                      type="button"
                      className="button button-ghost"
                      onClick={() => void onRemove(m)}
                      aria-label={`Remove ${m.email}`}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {members.isSuccess && rows.length === 0 && <p>No member matches your search.</p>}
        {members.hasNextPage && (
          <button
            type="button"
            className="button button-ghost"
            onClick={() => members.fetchNextPage()}
            disabled={members.isFetchingNextPage}
          >
            {members.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        )}
      </section>
      {can(actor, 'members.manage') && <InvitationsSection session={session} />}
      {can(actor, 'impersonation.approve') && !session.impersonation && <SupportAccessSection />}
    </>
  );
}
