import type { AuthTokenResponse } from '@tenantry/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { pickedTenant } from '../tenant/picked-tenant';
import { session } from './session';

export function LoginPage({ tenantName }: { tenantName: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => api<AuthTokenResponse>('/auth/login', { method: 'POST', body: { email, password } }),
    onSuccess: (result) => session.set(result),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  const error = login.error instanceof ApiError ? login.error : null;
  return (
    <div className="centered">
      <form className="card" onSubmit={onSubmit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to {tenantName}</h1>
        <TextField label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} required error={error?.fieldErrors.email} />
        <TextField label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} required />
        {error && !error.fieldErrors.email && <p role="alert" className="error">{error.message}</p>}
        <button type="submit" className="button" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        {pickedTenant.get() && (
          <button type="button" className="button button-ghost" onClick={() => { pickedTenant.clear(); location.reload(); }}>
            Choose another tenant
          </button>
        )}
      </form>
    </div>
  );
}
