import {
  INDUSTRIES,
  type JoinOption,
  type PublicPlan,
  type SignupRequest,
  type SlugAvailability,
} from '@tenantry/contracts';
import { useQuery } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useEffect, useId, useState } from 'react';
import { api, ApiError } from '../../api/client';
import { Notice } from '../../ui/Notice';
import { TextField } from '../../ui/TextField';
import { useSignup, useSignupOptions, useSignupToJoin } from './auth-api';
import { checkoutAfterSignup } from './ConfirmSignupPage';

const STEPS = ['Company', 'You', 'Address', 'Plan', 'Done'] as const;
const EMPTY: SignupRequest = { tenantName: '', slug: '', displayName: '', email: '', password: '' };
const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const LOGO_MAX_BYTES = 32 * 1024; // the API's limit for the wizard; larger ones go in the branding settings
/** Which step holds each field, to send the person back there when the server refuses it. */
const STEP_OF: Record<string, number> = {
  tenantName: 0,
  industry: 0,
  logo: 0,
  displayName: 1,
  email: 1,
  password: 1,
  slug: 2,
  plan: 3,
};

/** The value once it stopped changing for a moment (not a request per keystroke). */
function useSettled(value: string, ms = 400): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

/**
 * The signup wizard: company → you → address → plan → "check your email".
 * Nothing is created before the mailed link is opened (ConfirmSignupPage):
 * the workspace and its owner are then made in one request (billed manually,
 * a chosen plan starts as its trial; with Stripe, Checkout follows and comes
 * back to the done page). When a tenant lets people of the email's domain in,
 * the person may join it instead.
 */
export function SignupPage({ onCancel }: { onCancel: () => void }) {
  const [step, setStep] = useState(0);
  const [input, setInput] = useState(EMPTY);
  const [industry, setIndustry] = useState('');
  const [logo, setLogo] = useState<string | null>(null);
  const [slugEdited, setSlugEdited] = useState(false);
  const [joining, setJoining] = useState<JoinOption | null>(null);
  const signup = useSignup();
  const signupToJoin = useSignupToJoin();
  const options = useSignupOptions(useSettled(input.email)).data ?? [];
  const set = (field: keyof SignupRequest) => (value: string) => setInput((prev) => ({ ...prev, [field]: value }));
  const error = signup.error instanceof ApiError ? signup.error : null;
  const fields = error?.fieldErrors ?? {};

  const create = (plan: PublicPlan, mode: 'manual' | 'stripe') => {
    const toCheckout = mode === 'stripe' && plan.purchasable;
    signup.mutate(
      {
        ...input,
        industry: industry || undefined,
        logo: logo ?? undefined,
        plan: !toCheckout && plan.trialDays > 0 ? plan.code : undefined,
      },
      {
        // The link is most often opened in this browser: it goes on to Checkout from there.
        onSuccess: () => checkoutAfterSignup.set(toCheckout ? plan.code : null),
        onError: (failure) => {
          const first =
            failure instanceof ApiError
              ? (Object.keys(failure.fieldErrors)[0] ?? (failure.code === 'SLUG_TAKEN' ? 'slug' : null))
              : null;
          if (first && STEP_OF[first] !== undefined) setStep(STEP_OF[first]);
        },
      },
    );
  };

  if (signup.isSuccess) {
    return (
      <Notice title="Check your email">
        We sent an email to {input.email}. Open its link within 24 hours to create {input.tenantName}. If the address
        already has an account, the email says how to sign in instead. Nothing there? Check the spam folder, or sign up
        again.
      </Notice>
    );
  }
  if (joining)
    return <JoinInstead option={joining} input={input} set={set} join={signupToJoin} onBack={() => setJoining(null)} />;
  const next = (event: FormEvent) => {
    event.preventDefault();
    if (step === 0 && !slugEdited) set('slug')(slugify(input.tenantName));
    setStep(step + 1);
  };
  return (
    <div className="centered">
      <div className="card wizard">
        <h1 id="signup-title">Create a workspace</h1>
        <ol className="wizard-steps" aria-label="Steps">
          {STEPS.map((name, i) => (
            <li key={name} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : undefined}>
              {name}
            </li>
          ))}
        </ol>
        {step === 0 && (
          <form onSubmit={next} aria-label="Company">
            <TextField
              label="Company name"
              value={input.tenantName}
              onChange={set('tenantName')}
              required
              error={fields.tenantName}
            />
            <IndustryField value={industry} onChange={setIndustry} />
            <LogoField value={logo} onChange={setLogo} error={fields.logo} />
            <div className="row">
              <button type="submit" className="button" disabled={input.tenantName.trim().length < 2}>
                Next
              </button>
              <button type="button" className="button button-ghost" onClick={onCancel}>
                Back
              </button>
            </div>
          </form>
        )}
        {step === 1 && (
          <form onSubmit={next} aria-label="You">
            <TextField
              label="Your name"
              value={input.displayName}
              onChange={set('displayName')}
              autoComplete="name"
              required
              error={fields.displayName}
            />
            <TextField
              label="Email"
              type="email"
              value={input.email}
              onChange={set('email')}
              autoComplete="email"
              required
              error={fields.email}
            />
            <TextField
              label="Password"
              type="password"
              value={input.password}
              onChange={set('password')}
              autoComplete="new-password"
              required
              error={fields.password}
              hint="At least 12 characters; common passwords are refused."
            />
            {options.length > 0 && (
              <div className="join-offer" role="note">
                <p>People at {options[0].domain} already work together here:</p>
                {options.map((o) => (
                  <button key={o.tenant.id} type="button" className="button button-ghost" onClick={() => setJoining(o)}>
                    Join {o.tenant.name} instead
                  </button>
                ))}
              </div>
            )}
            <div className="row">
              <button
                type="submit"
                className="button"
                disabled={!input.displayName || !input.email || input.password.length < 12}
              >
                Next
              </button>
              <button type="button" className="button button-ghost" onClick={() => setStep(0)}>
                Back
              </button>
            </div>
          </form>
        )}
        {step === 2 && (
          <AddressStep
            slug={input.slug}
            onChange={(value) => {
              setSlugEdited(true);
              set('slug')(value.toLowerCase());
            }}
            serverError={fields.slug ?? (error?.code === 'SLUG_TAKEN' ? error.message : undefined)}
            onNext={() => setStep(3)}
            onBack={() => setStep(1)}
          />
        )}
        {step === 3 && <PlanStep pending={signup.isPending} onChoose={create} onBack={() => setStep(2)} />}
        {error && !Object.keys(fields).length && error.code !== 'SLUG_TAKEN' && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
      </div>
    </div>
  );
}

function IndustryField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Industry (optional)</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {INDUSTRIES.map((i) => (
          <option key={i} value={i}>
            {i}
          </option>
        ))}
      </select>
    </div>
  );
}

/** An optional logo: PNG, JPEG or WebP up to 32 KB, kept as a data URL and shown at once. */
function LogoField({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string;
}) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setProblem(null);
    if (!file) return onChange(null);
    if (!LOGO_TYPES.includes(file.type)) return setProblem('Use a PNG, JPEG or WebP image.');
    if (file.size > LOGO_MAX_BYTES)
      return setProblem('The logo can be 32 KB at most here (a larger one can be set later in the branding settings).');
    const reader = new FileReader();
    reader.onload = () => onChange(reader.result as string);
    reader.readAsDataURL(file);
  };
  return (
    <div className="field">
      <label htmlFor={id}>Logo (optional)</label>
      <input id={id} type="file" accept={LOGO_TYPES.join(',')} onChange={onFile} aria-describedby={`${id}-hint`} />
      {(problem ?? error) ? (
        <span role="alert" className="error">
          {problem ?? error}
        </span>
      ) : (
        <span id={`${id}-hint`} className="hint">
          PNG, JPEG or WebP, 32 KB at most.
        </span>
      )}
      {value && <img src={value} alt="Logo preview" className="logo-preview" />}
    </div>
  );
}

/** The workspace address with a live availability check and free ones close to a taken one. */
function AddressStep({
  slug,
  onChange,
  serverError,
  onNext,
  onBack,
}: {
  slug: string;
  onChange: (value: string) => void;
  serverError?: string;
  onNext: () => void;
  onBack: () => void;
}) {
  const settled = useSettled(slug, 300);
  const check = useQuery({
    queryKey: ['slug', settled],
    queryFn: () => api<SlugAvailability>(`/auth/signup/slug?slug=${encodeURIComponent(settled)}`),
    enabled: settled.length > 0,
  });
  const result = check.data?.slug === slug ? check.data : null;
  const host = location.host.replace(/^www\./, '');
  const reasons = {
    taken: 'is taken',
    reserved: 'is reserved',
    invalid: 'can only hold 3-40 lower-case letters, digits or inner hyphens',
  } as const;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (result?.available) onNext();
  };
  return (
    <form onSubmit={onSubmit} aria-label="Address">
      <TextField
        label="Workspace address"
        value={slug}
        onChange={onChange}
        placeholder="acme"
        required
        error={serverError}
        hint={`Your people will sign in at <address>.${host}`}
      />
      <p role="status" data-testid="slug-status" className={result && !result.available ? 'error' : 'hint'}>
        {!slug
          ? ''
          : !result
            ? 'Checking…'
            : result.available
              ? `${slug}.${host} is free.`
              : `${slug} ${reasons[result.reason!]}.`}
      </p>
      {result && result.suggestions.length > 0 && (
        <div className="row" aria-label="Free addresses">
          {result.suggestions.map((s) => (
            <button key={s} type="button" className="button button-ghost" onClick={() => onChange(s)}>
              {s}
            </button>
          ))}
        </div>
      )}
      <div className="row">
        <button type="submit" className="button" disabled={!result?.available}>
          Next
        </button>
        <button type="button" className="button button-ghost" onClick={onBack}>
          Back
        </button>
      </div>
    </form>
  );
}

/** The plan: free, or a trial (billed manually) or Checkout (Stripe) of a paid one; choosing creates the workspace. */
function PlanStep({
  pending,
  onChoose,
  onBack,
}: {
  pending: boolean;
  onChoose: (plan: PublicPlan, mode: 'manual' | 'stripe') => void;
  onBack: () => void;
}) {
  const catalog = useQuery({
    queryKey: ['public-plans'],
    queryFn: () => api<{ mode: 'manual' | 'stripe'; plans: PublicPlan[] }>('/billing/plans'),
  });
  if (!catalog.data) return <p className="hint">Loading the plans…</p>;
  const { mode, plans } = catalog.data;
  const offered = plans.filter((p) => p.code === 'free' || (mode === 'stripe' ? p.purchasable : p.trialDays > 0));
  const action = (p: PublicPlan) =>
    p.code === 'free'
      ? 'Start free'
      : mode === 'stripe'
        ? `Continue to payment${p.trialDays ? ` (${p.trialDays}-day trial)` : ''}`
        : `Start ${p.trialDays}-day trial`;
  return (
    <div aria-label="Plan">
      <div className="plan-cards">
        {offered.map((p) => (
          <article key={p.code} className="card" aria-label={`${p.name} plan`}>
            <h2>{p.name}</h2>
            <p>
              {p.seats === null ? 'Unlimited seats' : `${p.seats} seats`}
              {p.monthlyLimits.api_calls ? `, ${p.monthlyLimits.api_calls.toLocaleString()} API calls a month` : ''}
            </p>
            {p.trialDays > 0 && <p className="hint">{p.trialDays}-day free trial</p>}
            <button type="button" className="button" disabled={pending} onClick={() => onChoose(p, mode)}>
              {pending ? 'Creating…' : action(p)}
            </button>
          </article>
        ))}
      </div>
      <button type="button" className="button button-ghost" onClick={onBack}>
        Back
      </button>
    </div>
  );
}

/** Joining a workspace that lets people of the email's domain in: an account, confirmed by the mailed link. */
function JoinInstead({
  option,
  input,
  set,
  join,
  onBack,
}: {
  option: JoinOption;
  input: SignupRequest;
  set: (field: keyof SignupRequest) => (value: string) => void;
  join: ReturnType<typeof useSignupToJoin>;
  onBack: () => void;
}) {
  const error = join.error instanceof ApiError ? join.error : null;
  const fields = error?.fieldErrors ?? {};
  if (join.isSuccess)
    return (
      <Notice title="Check your email">
        We sent a link to {input.email}. Open it to confirm your address and join {option.tenant.name}.
      </Notice>
    );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    join.mutate({
      tenantId: option.tenant.id,
      displayName: input.displayName,
      email: input.email,
      password: input.password,
    });
  };
  return (
    <div className="centered">
      <form className="card" onSubmit={onSubmit} aria-labelledby="join-title">
        <h1 id="join-title">Join {option.tenant.name}</h1>
        <TextField
          label="Your name"
          value={input.displayName}
          onChange={set('displayName')}
          autoComplete="name"
          required
          error={fields.displayName}
        />
        <TextField
          label="Email"
          type="email"
          value={input.email}
          onChange={set('email')}
          autoComplete="email"
          required
          error={fields.email}
        />
        <TextField
          label="Password"
          type="password"
          value={input.password}
          onChange={set('password')}
          autoComplete="new-password"
          required
          error={fields.password}
          hint="At least 12 characters; common passwords are refused."
        />
        {error && !Object.keys(fields).length && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        <button type="submit" className="button" disabled={join.isPending}>
          {join.isPending ? 'Joining…' : `Join ${option.tenant.name}`}
        </button>
        <button type="button" className="button button-ghost" onClick={onBack}>
          Create my own workspace instead
        </button>
      </form>
    </div>
  );
}
