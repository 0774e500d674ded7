import type { EmailConfirmed } from '@tenantry/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../../api/client';
import { takeLinkToken, useSendLinkTokenOnce } from '../../ui/link-token';
import { Notice } from '../../ui/Notice';
import { TextField } from '../../ui/TextField';

/** "Forgot your password?": asks for a reset link; says the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const request = useMutation({
    mutationFn: () => api<void>('/auth/password/forgot', { method: 'POST', body: { email } }),
  });
  const error = request.error instanceof ApiError ? request.error : null;
  if (request.isSuccess) {
    return (
      <Notice title="Check your email">
        If {email} has an account here, a link to choose a new password is on its way. It works for 30 minutes.
      </Notice>
    );
  }
  return (
    <div className="centered">
      <form
        className="card"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          request.mutate();
        }}
        aria-labelledby="forgot-title"
      >
        <h1 id="forgot-title">Reset your password</h1>
        <TextField
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
          required
          error={error?.fieldErrors.email}
        />
        {error && !error.fieldErrors.email && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        <button type="submit" className="button" disabled={request.isPending}>
          {request.isPending ? 'Sending…' : 'Send reset link'}
        </button>
        <a className="button button-ghost" href="/">
          Back to sign in
        </a>
      </form>
    </div>
  );
}

/** The page a reset email links to: choose a new password (every session of the account ends). */
export function ResetPasswordPage() {
  const token = takeLinkToken();
  const [newPassword, setNewPassword] = useState('');
  const reset = useMutation({
    mutationFn: () => api<void>('/auth/password/reset', { method: 'POST', body: { token, newPassword } }),
  });
  const error = reset.error instanceof ApiError ? reset.error : null;
  if (!token)
    return <Notice title="Reset link incomplete">Open the link from your email again, or ask for a new one.</Notice>;
  if (reset.isSuccess)
    return (
      <Notice title="Password changed">Sign in with your new password. Every other session was signed out.</Notice>
    );
  return (
    <div className="centered">
      <form
        className="card"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          reset.mutate();
        }}
        aria-labelledby="reset-title"
      >
        <h1 id="reset-title">Choose a new password</h1>
        <TextField
          label="New password"
          type="password"
          value={newPassword}
          onChange={setNewPassword}
          autoComplete="new-password"
          required
          error={error?.fieldErrors.newPassword}
          hint="At least 12 characters; common passwords are refused."
        />
        {error && !error.fieldErrors.newPassword && (
          <p role="alert" className="error">
            {error.message} {error.code === 'TOKEN_INVALID' && <a href="/forgot-password">Ask for a new link.</a>}
          </p>
        )}
        <button type="submit" className="button" disabled={reset.isPending}>
          {reset.isPending ? 'Saving…' : 'Set password'}
        </button>
      </form>
    </div>
  );
}

/** The page a verification email links to. */
export function VerifyEmailPage() {
  const verify = useMutation({
    mutationFn: (token: string) => api<EmailConfirmed>('/auth/email/verify', { method: 'POST', body: { token } }),
  });
  const token = useSendLinkTokenOnce(verify.mutate);
  if (!token) return <Notice title="Confirmation link incomplete">Open the link from your email again.</Notice>;
  if (verify.data?.joined)
    return (
      <Notice title={`Welcome to ${verify.data.joined.name}`}>
        Your address is confirmed and you joined {verify.data.joined.name}. <a href="/">Sign in</a>.
      </Notice>
    );
  if (verify.isSuccess)
    return (
      <Notice title="Email address confirmed">
        Thank you. You can close this page or <a href="/">go to the app</a>.
      </Notice>
    );
  if (verify.isError)
    return (
      <Notice title="This link can not be used">
        {verify.error instanceof ApiError ? verify.error.message : 'The service cannot be reached.'}
      </Notice>
    );
  return <Notice title="Confirming your address…">One moment.</Notice>;
}
