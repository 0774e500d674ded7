import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { takeLinkToken } from '../../ui/link-token';
import { navigate } from '../../ui/navigation';
import { Notice } from '../../ui/Notice';
import { TextField } from '../../ui/TextField';
import { useAcceptInvitation, useInvitationPreview } from './invitations-api';

/** The page an invitation email links to: set a password (new account) or give yours (existing one). */
export function AcceptInvitationPage() {
  const token = takeLinkToken();
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation();
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');

  if (!token)
    return <Notice title="Invitation link incomplete">Open the link from your invitation email again.</Notice>;
  if (preview.isPending) return <Notice title="Opening your invitation…">One moment.</Notice>;
  if (preview.isError) {
    const error = preview.error instanceof ApiError ? preview.error : null;
    return (
      <Notice title="This invitation can not be used">{error?.message ?? 'The service cannot be reached.'}</Notice>
    );
  }
  const invitation = preview.data;
  const error = accept.error instanceof ApiError ? accept.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate(
      { token, password, displayName: invitation.existingUser ? undefined : displayName },
      { onSuccess: () => navigate('/') },
    );
  };
  return (
    <div className="centered">
      <form className="card" onSubmit={onSubmit} aria-labelledby="accept-title">
        <h1 id="accept-title">Join {invitation.tenant.name}</h1>
        <p>
          You are invited as <strong>{invitation.role}</strong> with <strong>{invitation.email}</strong>.
          {invitation.existingUser
            ? ' You already have an account: confirm with its password.'
            : ' Choose your name and a password.'}
        </p>
        {!invitation.existingUser && (
          <TextField
            label="Your name"
            value={displayName}
            onChange={setDisplayName}
            autoComplete="name"
            required
            error={error?.fieldErrors.displayName}
          />
        )}
        <TextField
          label={invitation.existingUser ? 'Your password' : 'Choose a password'}
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete={invitation.existingUser ? 'current-password' : 'new-password'}
          required
          error={error?.fieldErrors.password}
          hint={invitation.existingUser ? undefined : 'At least 12 characters; common passwords are refused.'}
        />
        {error && !Object.keys(error.fieldErrors).length && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        <button type="submit" className="button" disabled={accept.isPending}>
          {accept.isPending ? 'Joining…' : `Join ${invitation.tenant.name}`}
        </button>
      </form>
    </div>
  );
}
