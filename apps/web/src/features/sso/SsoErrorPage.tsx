import { ERRORS, type ErrorCode } from '@tenantry/contracts';

/** Where a failed single sign-on lands: what went wrong in plain words (the audit log keeps the technical reason). */
export function SsoErrorPage() {
  const code = new URLSearchParams(location.search).get('code') ?? '';
  const known = Object.hasOwn(ERRORS, code) ? ERRORS[code as ErrorCode] : null;
  return (
    <div className="centered">
      <section className="card" role="alert" aria-labelledby="sso-error-title">
        <h1 id="sso-error-title">
          {code === 'SSO_LINK_CONFIRMATION_REQUIRED' ? 'Check your email' : 'Single sign-on did not work'}
        </h1>
        <p>{known?.message ?? 'Something went wrong while signing you in.'}</p>
        {code && (
          <p className="hint">
            Error code: <code>{code}</code> — give it to your administrator if this keeps happening.
          </p>
        )}
        <a className="button" href="/">
          Back to sign-in
        </a>
      </section>
    </div>
  );
}
