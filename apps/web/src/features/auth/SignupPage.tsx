import { type JoinOption, SLUG_PATTERN } from '@tenantry/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { pickedTenant } from '../tenant/picked-tenant';
import { Notice } from '../../ui/Notice';
import { type SignupInput, useSignup, useSignupOptions, useSignupToJoin } from './auth-api';
import { session } from './session';

const EMPTY: SignupInput = { tenantName: '', slug: '', displayName: '', email: '', password: '' };

/** The value once it stopped changing for a moment (not a request per keystroke). */
function useSettled(value: string, ms = 400): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Creates a workspace (tenant) and its owner, then opens it on this address;
 * or, when a tenant lets people of the email's domain in, joins that one instead.
 */
export function SignupPage({ onCancel }: { onCancel: () => void }) {
  const [input, setInput] = useState(EMPTY);
  const signup = useSignup();
  const [joining, setJoining] = useState<JoinOption | null>(null);
  const options = useSignupOptions(useSettled(input.email)).data ?? [];
  const signupToJoin = useSignupToJoin();
  const set = (field: keyof SignupInput) => (value: string) => setInput((prev) => ({ ...prev, [field]: value }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (joining) return signupToJoin.mutate({ tenantId: joining.tenant.id, displayName: input.displayName, email: input.email, password: input.password });
    signup.mutate(input, {
      onSuccess: (result) => {
        pickedTenant.set(result.tenant!.slug);
        session.set(result);
      },
    });
  };
  const failure = joining ? signupToJoin.error : signup.error;
  const error = failure instanceof ApiError ? failure : null;
  const fields = error?.fieldErrors ?? {};
  const slugHint = input.slug && !SLUG_PATTERN.test(input.slug) ? '3-40 lower-case letters, digits or inner hyphens' : undefined;
  if (joining && signupToJoin.isSuccess) {
    return <Notice title="Check your email">We sent a link to {input.email}. Open it to confirm your address and join {joining.tenant.name}.</Notice>;
  }
  return (
    <div className="centered">
      <form className="card" onSubmit={onSubmit} aria-labelledby="signup-title">
        <h1 id="signup-title">{joining ? `Join ${joining.tenant.name}` : 'Create a workspace'}</h1>
        {!joining && (
          <>
            <TextField label="Company name" value={input.tenantName} onChange={set('tenantName')} required error={fields.tenantName} />
            <TextField label="Workspace address" value={input.slug} onChange={(v) => set('slug')(v.toLowerCase())} placeholder="acme" required error={fields.slug ?? slugHint ?? (error?.code === 'SLUG_TAKEN' ? error.message : undefined)} />
          </>
        )}
        <TextField label="Your name" value={input.displayName} onChange={set('displayName')} autoComplete="name" required error={fields.displayName} />
        <TextField label="Email" type="email" value={input.email} onChange={set('email')} autoComplete="email" required error={fields.email ?? (error?.code === 'EMAIL_TAKEN' ? error.message : undefined)} />
        <TextField label="Password" type="password" value={input.password} onChange={set('password')} autoComplete="new-password" required error={fields.password} hint="At least 12 characters; common passwords are refused." />
        {!joining && options.length > 0 && (
          <div className="join-offer" role="note">
            <p>People at {options[0].domain} already work together here:</p>
            {options.map((o) => (
              <button key={o.tenant.id} type="button" className="button button-ghost" onClick={() => setJoining(o)}>Join {o.tenant.name} instead</button>
            ))}
          </div>
        )}
        {error && !Object.keys(fields).length && error.code !== 'SLUG_TAKEN' && error.code !== 'EMAIL_TAKEN' && <p role="alert" className="error">{error.message}</p>}
        {joining ? (
          <>
            <button type="submit" className="button" disabled={signupToJoin.isPending}>{signupToJoin.isPending ? 'Joining…' : `Join ${joining.tenant.name}`}</button>
            <button type="button" className="button button-ghost" onClick={() => setJoining(null)}>Create my own workspace instead</button>
          </>
        ) : (
          <>
            <button type="submit" className="button" disabled={signup.isPending}>{signup.isPending ? 'Creating…' : 'Create workspace'}</button>
            <button type="button" className="button button-ghost" onClick={onCancel}>Back</button>
          </>
        )}
      </form>
    </div>
  );
}
