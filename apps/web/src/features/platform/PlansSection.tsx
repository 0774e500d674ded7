import { PLAN_FEATURES, type Plan, type PlanFeature, type PlatformTenant } from '@tenantry/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { money } from '../billing/billing-api';
import { useChangeTenantPlan, useNearLimits, usePlans, useSavePlan } from './plans-api';

const LIMIT_NAMES = { seats: 'seats', api_calls: 'API calls', contacts: 'contacts' } as const;
const unlimited = (n: number | null | undefined) => (n === null || n === undefined ? 'unlimited' : n.toLocaleString());
/** An optional whole number field: empty means none (unlimited). */
const toLimit = (text: string) => (text.trim() === '' ? null : Number(text));
const fromLimit = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** Tenants at 80 % or more of a seat or monthly limit, from the API's periodic check. */
export function NearLimits() {
  const near = useNearLimits(80);
  if (!near.data) return null;
  return (
    <section aria-labelledby="near-limits-title">
      <h2 id="near-limits-title">Approaching limits</h2>
      {near.data.length === 0 ? (
        <p className="hint">No tenant uses 80% or more of a limit (checked every 10 minutes).</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Tenant</th>
              <th>Plan</th>
              <th>Fullest</th>
              <th>Use</th>
              <th>Checked</th>
            </tr>
          </thead>
          <tbody>
            {near.data.map((n) => (
              <tr key={n.tenant.id} aria-label={`${n.tenant.name} near its limits`}>
                <td>
                  {n.tenant.name} ({n.tenant.slug})
                </td>
                <td>{n.plan}</td>
                <td>
                  <span className={n.peak >= 100 ? 'badge badge-danger' : 'badge'}>{n.peak}%</span>
                </td>
                <td>
                  {n.limits
                    .map((l) => `${LIMIT_NAMES[l.name]} ${l.used.toLocaleString()}/${l.limit.toLocaleString()}`)
                    .join(', ')}
                </td>
                <td>{new Date(n.checkedAt).toLocaleTimeString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The plans catalog: terms of each plan, edited in place; a change reaches every tenant on the plan at once. */
export function PlansCatalog() {
  const plans = usePlans();
  const [editing, setEditing] = useState<{ plan: Plan; isNew: boolean } | null>(null);
  const blank: Plan = {
    code: '',
    name: '',
    seats: 10,
    monthlyLimits: {},
    rateLimitPerMinute: 300,
    features: [],
    trialDays: 0,
    graceDays: 7,
    stripePriceId: null,
    stripeSeatPriceId: null,
    listPrice: null,
  };
  return (
    <section aria-labelledby="plans-title">
      <h2 id="plans-title">Plans</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Plan</th>
            <th>Seats</th>
            <th>API calls / month</th>
            <th>New contacts / month</th>
            <th>Requests / minute</th>
            <th>Features</th>
            <th>Trial</th>
            <th>List price</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {plans.data?.map((p) => (
            <tr key={p.code} aria-label={`Plan ${p.name}`}>
              <td>
                {p.name} <span className="hint">({p.code})</span>
              </td>
              <td>{unlimited(p.seats)}</td>
              <td>{unlimited(p.monthlyLimits.api_calls)}</td>
              <td>{unlimited(p.monthlyLimits.contacts)}</td>
              <td>{p.rateLimitPerMinute ?? 'no limit'}</td>
              <td>{p.features.join(', ') || '—'}</td>
              <td>{p.trialDays ? `${p.trialDays} days` : '—'}</td>
              <td>{p.listPrice ? `${money(p.listPrice.amount, p.listPrice.currency)} / month` : '—'}</td>
              <td className="actions">
                <button
                  type="button"
                  className="button button-ghost"
                  onClick={() => setEditing({ plan: p, isNew: false })}
                  aria-label={`Edit ${p.name}`}
                >
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <PlanForm key={editing.plan.code || 'new'} {...editing} onDone={() => setEditing(null)} />
      ) : (
        <button type="button" className="button button-ghost" onClick={() => setEditing({ plan: blank, isNew: true })}>
          New plan
        </button>
      )}
    </section>
  );
}

function PlanForm({ plan, isNew, onDone }: { plan: Plan; isNew: boolean; onDone: () => void }) {
  const save = useSavePlan();
  const toast = useToast();
  const [code, setCode] = useState(plan.code);
  const [name, setName] = useState(plan.name);
  const [seats, setSeats] = useState(fromLimit(plan.seats));
  const [apiCalls, setApiCalls] = useState(fromLimit(plan.monthlyLimits.api_calls));
  const [contacts, setContacts] = useState(fromLimit(plan.monthlyLimits.contacts));
  const [rate, setRate] = useState(fromLimit(plan.rateLimitPerMinute));
  const [trialDays, setTrialDays] = useState(String(plan.trialDays));
  const [features, setFeatures] = useState<PlanFeature[]>(plan.features);
  const [graceDays, setGraceDays] = useState(String(plan.graceDays));
  const [stripePriceId, setStripePriceId] = useState(plan.stripePriceId ?? '');
  const [stripeSeatPriceId, setStripeSeatPriceId] = useState(plan.stripeSeatPriceId ?? '');
  const [price, setPrice] = useState(plan.listPrice ? String(plan.listPrice.amount / 100) : '');
  const [currency, setCurrency] = useState(plan.listPrice?.currency ?? 'eur');
  const featuresId = useId();
  const error = save.error instanceof ApiError ? save.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const terms: Plan = {
      code,
      name,
      seats: toLimit(seats),
      monthlyLimits: { api_calls: toLimit(apiCalls) ?? undefined, contacts: toLimit(contacts) ?? undefined },
      rateLimitPerMinute: toLimit(rate),
      features,
      trialDays: Number(trialDays || 0),
      graceDays: Number(graceDays || 0),
      stripePriceId: stripePriceId.trim() || null,
      stripeSeatPriceId: stripeSeatPriceId.trim() || null,
      listPrice:
        price.trim() === ''
          ? null
          : { amount: Math.round(Number(price) * 100), currency: currency.trim().toLowerCase() },
    };
    save.mutate(
      { plan: terms, isNew },
      {
        onSuccess: () => {
          toast.success(isNew ? `${terms.name} plan created` : `${terms.name} plan saved`);
          onDone();
        },
        onError: () => toast.failure(isNew ? 'The plan was not created' : `${plan.name} was not saved`),
      },
    );
  };
  const fieldError = (field: string) => error?.fieldErrors[field];
  return (
    <form className="card" onSubmit={onSubmit} aria-label={isNew ? 'New plan' : `Edit ${plan.name}`}>
      <h3>{isNew ? 'New plan' : `Edit ${plan.name}`}</h3>
      {!isNew && (
        <p className="hint">
          Tenants on this plan get the new terms at once; fewer seats than in use block new people and remove nobody.
        </p>
      )}
      {isNew && (
        <TextField
          label="Code"
          value={code}
          onChange={setCode}
          required
          placeholder="team"
          error={fieldError('code')}
          hint="Lowercase letters, digits and dashes; it can not change later."
        />
      )}
      <TextField label="Name" value={name} onChange={setName} required error={fieldError('name')} />
      <TextField
        label="Seats (empty: unlimited)"
        type="number"
        value={seats}
        onChange={setSeats}
        error={fieldError('seats')}
      />
      <TextField
        label="API calls a month (empty: unlimited)"
        type="number"
        value={apiCalls}
        onChange={setApiCalls}
        error={fieldError('monthlyLimits.api_calls')}
      />
      <TextField
        label="New contacts a month (empty: unlimited)"
        type="number"
        value={contacts}
        onChange={setContacts}
        error={fieldError('monthlyLimits.contacts')}
      />
      <TextField
        label="Requests a minute (empty: no limit)"
        type="number"
        value={rate}
        onChange={setRate}
        error={fieldError('rateLimitPerMinute')}
      />
      <TextField
        label="Trial days (0: no trial)"
        type="number"
        value={trialDays}
        onChange={setTrialDays}
        error={fieldError('trialDays')}
      />
      <TextField
        label="Grace days after a failed payment"
        type="number"
        value={graceDays}
        onChange={setGraceDays}
        error={fieldError('graceDays')}
      />
      <TextField
        label="Stripe base price (empty: not sold through Stripe)"
        value={stripePriceId}
        onChange={setStripePriceId}
        placeholder="price_…"
        error={fieldError('stripePriceId')}
      />
      <TextField
        label="Stripe price per seat"
        value={stripeSeatPriceId}
        onChange={setStripeSeatPriceId}
        placeholder="price_…"
        error={fieldError('stripeSeatPriceId')}
      />
      <TextField
        label="List price a month (empty: none)"
        type="number"
        value={price}
        onChange={setPrice}
        error={fieldError('listPrice.amount')}
        hint="What tenants billed by hand (by license) pay; counts in the console's MRR."
      />
      <TextField
        label="Currency"
        value={currency}
        onChange={setCurrency}
        placeholder="eur"
        error={fieldError('listPrice.currency')}
      />
      <fieldset className="field" aria-describedby={featuresId}>
        <legend>Features</legend>
        {PLAN_FEATURES.map((f) => (
          <label key={f} className="checkbox">
            <input
              type="checkbox"
              checked={features.includes(f)}
              onChange={(e) => setFeatures(e.target.checked ? [...features, f] : features.filter((x) => x !== f))}
            />{' '}
            {f}
          </label>
        ))}
        <span id={featuresId} className="hint">
          Codes the feature flags switch on for tenants on this plan.
        </span>
      </fieldset>
      {error && Object.keys(error.fieldErrors).length === 0 && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save plan'}
        </button>
        <button type="button" className="button button-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Moves the picked tenant to another plan (a running trial ends). */
export function TenantPlanControl({ tenant }: { tenant: PlatformTenant }) {
  const plans = usePlans();
  const change = useChangeTenantPlan(tenant.id);
  const toast = useToast();
  const [plan, setPlan] = useState('');
  const selectId = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (plan)
      change.mutate(plan, {
        onSuccess: (moved) => toast.success(`${tenant.name} moved to ${moved.plan.name}`),
        onError: () => toast.failure(`${tenant.name} was not moved`),
      });
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-label={`Plan of ${tenant.name}`}>
      <h3>Plan of {tenant.name}</h3>
      <div className="field">
        <label htmlFor={selectId}>Move to</label>
        <select id={selectId} value={plan} onChange={(e) => setPlan(e.target.value)}>
          <option value="">Choose a plan</option>
          {plans.data?.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={!plan || change.isPending}>
        Change plan
      </button>
      {change.data && (
        <p role="status">
          Now on {change.data.plan.name}: {change.data.seats.used} of {unlimited(change.data.seats.limit)} seats used.
        </p>
      )}
      {change.error && (
        <p role="alert" className="error">
          {change.error.message}
        </p>
      )}
    </form>
  );
}
