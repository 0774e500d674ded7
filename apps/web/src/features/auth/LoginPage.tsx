import { type FormEvent, useState } from 'react';
import { ApiError, refreshRefusal } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { useBranding } from '../branding/branding-api';
import { startSso, useContinueWithSso } from '../sso/sso-api';
import { pickedTenant } from '../tenant/picked-tenant';
import { useLogin } from './auth-api';

/**
 * Sign-in to a tenant (password, or single sign-on picked by the email's domain); the platform console's sign-in has no SSO.
 * `branded`: the tenant's logo, welcome message and background image are shown.
 */
export function LoginPage({
  tenantName,
  sso = true,
  branded = false,
}: {
  tenantName: string;
  sso?: boolean;
  branded?: boolean;
}) {
  const branding = useBranding();
  const brand = branded ? branding : undefined;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useLogin();
  const continueWithSso = useContinueWithSso();
  const ssoError = continueWithSso.error instanceof ApiError ? continueWithSso.error : null;
  const [ssoHint, setSsoHint] = useState<string | null>(null);
  const onSso = () => {
    setSsoHint(email.includes('@') ? null : 'Enter your work email first.');
    if (email.includes('@')) continueWithSso.mutate(email);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password });
  };
  const error = login.error instanceof ApiError ? login.error : null;
  const retryAfter = error?.code === 'TOO_MANY_ATTEMPTS' ? Number(error.details?.retryAfterSeconds) : null;
  const ssoLoginUrl =
    error?.code === 'SSO_REQUIRED' && typeof error.details?.loginUrl === 'string' ? error.details.loginUrl : null;
  return (
    <div className={brand?.backgroundUrl ? 'centered login-background' : 'centered'}>
      <form className="card" onSubmit={onSubmit} aria-labelledby="login-title">
        {brand?.logoUrl && <img src={brand.logoUrl} alt={`${tenantName} logo`} className="login-logo" />}
        <h1 id="login-title">Sign in to {tenantName}</h1>
        {brand?.welcomeMessage && <p data-testid="welcome-message">{brand.welcomeMessage}</p>}
        {refreshRefusal()?.code === 'SSO_SESSION_TENANT_BOUND' && (
          <p role="status" className="hint">
            {refreshRefusal()!.message}
          </p>
        )}
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={setEmail}
          required
          error={error?.fieldErrors.email}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          required
        />
        {error && !error.fieldErrors.email && (
          <p role="alert" className="error">
            {error.message}
            {retryAfter ? ` Try again in ${Math.ceil(retryAfter / 60)} minute(s).` : ''}
          </p>
        )}
        <button type="submit" className="button" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        {ssoLoginUrl && (
          <button type="button" className="button" onClick={() => startSso(ssoLoginUrl)}>
            Continue with SSO
          </button>
        )}
        <a href="/forgot-password" className="hint">
          Forgot your password?
        </a>
        {sso && (
          <div className="sso-login">
            <p className="hint">Your company uses single sign-on? Enter your work email above, then:</p>
            <button
              type="button"
              className="button button-ghost"
              onClick={onSso}
              disabled={continueWithSso.isPending || continueWithSso.isSuccess}
            >
              {continueWithSso.isPending || continueWithSso.isSuccess
                ? 'Going to your identity provider…'
                : 'Continue with SSO'}
            </button>
            {(ssoHint ?? ssoError) && (
              <p role="alert" className="error">
                {ssoHint ?? ssoError?.fieldErrors.email ?? ssoError?.message}
              </p>
            )}
          </div>
        )}
        {pickedTenant.get() && (
          <button
            type="button"
            className="button button-ghost"
            onClick={() => {
              pickedTenant.clear();
              location.reload();
            }}
          >
            Choose another tenant
          </button>
        )}
      </form>
      {brand?.footerText && <small className="hint">{brand.footerText}</small>}
    </div>
  );
}
