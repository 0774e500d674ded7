import { SLUG_PATTERN } from '@tenantry/contracts';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { pickedTenant } from '../tenant/picked-tenant';
import { type SignupInput, useSignup } from './auth-api';
import { session } from './session';

const EMPTY: SignupInput = { tenantName: '', slug: '', displayName: '', email: '', password: '' };

/** Creates a workspace (tenant) and its owner, then opens it on this address. */
export function SignupPage({ onCancel }: { onCancel: () => void }) {
  const [input, setInput] = useState(EMPTY);
  const signup = useSignup();
  const set = (field: keyof SignupInput) => (value: string) => setInput((prev) => ({ ...prev, [field]: value }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signup.mutate(input, {
      onSuccess: (result) => {
        pickedTenant.set(result.tenant!.slug);
        session.set(result);
      },
    });
  };
  const error = signup.error instanceof ApiError ? signup.error : null;
  const fields = error?.fieldErrors ?? {};
  const slugHint = input.slug && !SLUG_PATTERN.test(input.slug) ? '3-40 lower-case letters, digits or inner hyphens' : undefined;
  return (
    <div className="centered">
      <form className="card" onSubmit={onSubmit} aria-labelledby="signup-title">
        <h1 id="signup-title">Create a workspace</h1>
        <TextField label="Company name" value={input.tenantName} onChange={set('tenantName')} required error={fields.tenantName} />
        <TextField label="Workspace address" value={input.slug} onChange={(v) => set('slug')(v.toLowerCase())} placeholder="acme" required error={fields.slug ?? slugHint ?? (error?.code === 'SLUG_TAKEN' ? error.message : undefined)} />
        <TextField label="Your name" value={input.displayName} onChange={set('displayName')} autoComplete="name" required error={fields.displayName} />
        <TextField label="Email" type="email" value={input.email} onChange={set('email')} autoComplete="email" required error={fields.email ?? (error?.code === 'EMAIL_TAKEN' ? error.message : undefined)} />
        <TextField label="Password" type="password" value={input.password} onChange={set('password')} autoComplete="new-password" required error={fields.password} hint="At least 12 characters; common passwords are refused." />
        {error && !Object.keys(fields).length && error.code !== 'SLUG_TAKEN' && error.code !== 'EMAIL_TAKEN' && <p role="alert" className="error">{error.message}</p>}
        <button type="submit" className="button" disabled={signup.isPending}>{signup.isPending ? 'Creating…' : 'Create workspace'}</button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Back</button>
      </form>
    </div>
  );
}
