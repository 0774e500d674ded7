import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { pickedTenant } from '../tenant/picked-tenant';
import { useLogin } from './auth-api';

export function LoginPage({ tenantName }: { tenantName: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useLogin();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password });
  };
  const error = login.error instanceof ApiError ? login.error : null;
  const retryAfter = error?.code === 'TOO_MANY_ATTEMPTS' ? Number(error.details?.retryAfterSeconds) : null;
  return (
    <div className="centered">
      <form className="card" onSubmit={onSubmit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to {tenantName}</h1>
        <TextField label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} required error={error?.fieldErrors.email} />
        <TextField label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} required />
        {error && !error.fieldErrors.email && (
          <p role="alert" className="error">
            {error.message}
            {retryAfter ? ` Try again in ${Math.ceil(retryAfter / 60)} minute(s).` : ''}
          </p>
        )}
        <button type="submit" className="button" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <a href="/forgot-password" className="hint">Forgot your password?</a>
        {pickedTenant.get() && (
          <button type="button" className="button button-ghost" onClick={() => { pickedTenant.clear(); location.reload(); }}>
            Choose another tenant
          </button>
        )}
      </form>
    </div>
  );
}
