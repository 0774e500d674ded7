import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import {
  useChangePassword,
  useJoinOptions,
  useJoinTenant,
  useLogoutAll,
  useRevokeSession,
  useSessions,
} from '../auth/auth-api';

/** Profile: the signed-in devices, and the password. */
export function ProfilePage() {
  return (
    <>
      <JoinOptionsSection />
      <SessionsSection />
      <ChangePasswordSection />
    </>
  );
}

/** Workspaces of the user's company that let people of its email domain join. */
function JoinOptionsSection() {
  const options = useJoinOptions();
  const join = useJoinTenant();
  const toast = useToast();
  // Stays after a join (the list is then empty) to say where the new workspace is.
  if (!options.data?.length && !join.isSuccess) return null;
  return (
    <section aria-labelledby="join-title">
      <h1 id="join-title">Workspaces you can join</h1>
      <ul>
        {options.data?.map((o) => (
          <li key={o.tenant.id} className="row">
            <span className="grow">
              {o.tenant.name} (for @{o.domain})
            </span>
            <button
              type="button"
              className="button"
              onClick={() =>
                join.mutate(o.tenant.id, { onError: () => toast.failure(`You did not join ${o.tenant.name}`) })
              }
              disabled={join.isPending}
            >
              Join {o.tenant.name}
            </button>
          </li>
        ))}
      </ul>
      {join.isSuccess && <p role="status">You joined {join.data.tenant.name}; pick it in the workspace switcher.</p>}
      {join.error && (
        <p role="alert" className="error">
          {join.error.message}
        </p>
      )}
    </section>
  );
}

function SessionsSection() {
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const logoutAll = useLogoutAll();
  const toast = useToast();
  return (
    <section aria-labelledby="sessions-title">
      <div className="row spread">
        <h1 id="sessions-title">Sessions</h1>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => logoutAll.mutate(undefined, { onError: (e) => toast.failure('Not signed out everywhere', e) })}
          disabled={logoutAll.isPending}
        >
          Sign out everywhere
        </button>
      </div>
      {sessions.isError && (
        <p role="alert" className="error">
          {(sessions.error as Error).message}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Device</th>
            <th>Address</th>
            <th>Signed in</th>
            <th>Last active</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.data?.map((s) => (
            <tr key={s.id}>
              <td>
                {s.userAgent ?? 'Unknown device'}
                {s.current && <span className="badge">this device</span>}
              </td>
              <td>{s.ip ?? '—'}</td>
              <td>{new Date(s.createdAt).toLocaleString()}</td>
              <td>{new Date(s.lastUsedAt).toLocaleString()}</td>
              <td className="actions">
                {!s.current && (
                  <button
                    type="button"
                    className="button button-ghost"
                    onClick={() =>
                      revoke.mutate(s.id, {
                        onSuccess: () => toast.success(`${s.userAgent ?? 'The device'} is signed out`),
                        onError: (e) => toast.failure('The device was not signed out', e),
                      })
                    }
                    disabled={revoke.isPending}
                    aria-label={`Sign out ${s.userAgent ?? 'device'}`}
                  >
                    Sign out
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ChangePasswordSection() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const change = useChangePassword();
  const toast = useToast();
  const error = change.error instanceof ApiError ? change.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          toast.success('Your new password is set');
          setCurrent('');
          setNew('');
        },
        onError: () => toast.failure('The password was not changed'),
      },
    );
  };
  return (
    <section aria-labelledby="password-title">
      <form className="card" onSubmit={onSubmit}>
        <h2 id="password-title">Change password</h2>
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={setCurrent}
          required
          error={error?.code === 'WRONG_PASSWORD' ? error.message : error?.fieldErrors.currentPassword}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={setNew}
          required
          error={error?.fieldErrors.newPassword}
          hint="At least 12 characters; common passwords are refused."
        />
        {error && error.code !== 'WRONG_PASSWORD' && error.code !== 'VALIDATION_FAILED' && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        {change.isSuccess && <p role="status">Password changed. Your other sessions were signed out.</p>}
        <button type="submit" className="button" disabled={change.isPending}>
          {change.isPending ? 'Saving…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
