import type { VerifiedDomain } from '@tenantry/contracts';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { CustomDomainsSection } from './CustomDomainsSection';
import { useClaimDomain, useDomains, useDomainSettings, useRemoveDomain, useVerifyDomain } from './domains-api';

/** Settings → Domains: claim your company's domains and prove them with a DNS TXT record. */
export function DomainsPage() {
  const domains = useDomains();
  const claim = useClaimDomain();
  const toast = useToast();
  const [domain, setDomain] = useState('');
  const error = claim.error instanceof ApiError ? claim.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    claim.mutate(domain, {
      onSuccess: (claimed) => {
        toast.success(`${claimed.domain} added`, 'Publish its TXT record, then check the DNS.');
        setDomain('');
      },
      onError: () => toast.failure('The domain was not added'),
    });
  };
  return (
    <section aria-labelledby="domains-title">
      <h1 id="domains-title">Domains</h1>
      <p className="hint">
        Prove that your company controls a domain by publishing a DNS TXT record. Single sign-on only accepts people
        whose email is on a verified domain.
      </p>
      <form className="row" onSubmit={onSubmit}>
        <div className="grow">
          <TextField
            label="Domain"
            value={domain}
            onChange={setDomain}
            placeholder="acme.com"
            required
            error={
              error?.fieldErrors.domain ?? (error && error.code !== 'VALIDATION_FAILED' ? error.message : undefined)
            }
          />
        </div>
        <button type="submit" className="button" disabled={claim.isPending}>
          {claim.isPending ? 'Adding…' : 'Add domain'}
        </button>
      </form>
      {domains.isError && (
        <p role="alert" className="error">
          {(domains.error as Error).message}
        </p>
      )}
      {domains.data?.map((d) => (
        <DomainCard key={d.id} domain={d} />
      ))}
      {domains.data?.length === 0 && <p className="hint">No domains yet.</p>}
      <CustomDomainsSection />
    </section>
  );
}

function DomainCard({ domain }: { domain: VerifiedDomain }) {
  const verify = useVerifyDomain();
  const remove = useRemoveDomain();
  const settings = useDomainSettings();
  const settingsError = settings.error instanceof ApiError ? settings.error : null;
  const confirm = useConfirm();
  const toast = useToast();
  const onRemove = async () => {
    const confirmed = await confirm({
      title: `Remove ${domain.domain}?`,
      description: `Its verification is lost: sign-in rules and joining by a @${domain.domain} email stop, and claiming it again takes a new TXT record.`,
      confirmLabel: 'Remove domain',
    });
    if (confirmed)
      remove.mutate(domain.id, {
        onSuccess: () => toast.success(`${domain.domain} removed`),
        onError: (error) => toast.failure(`${domain.domain} was not removed`, error),
      });
  };
  const saveSettings = (change: { autoJoin?: boolean; ssoRequired?: boolean }) =>
    settings.mutate(
      { id: domain.id, ...change },
      {
        onSuccess: () => toast.success(`Settings of ${domain.domain} saved`),
        onError: () => toast.failure(`Settings of ${domain.domain} were not saved`),
      },
    );
  return (
    <article className="card domain" aria-label={domain.domain}>
      <div className="row spread">
        <h2>
          {domain.domain}{' '}
          <span className="badge" data-testid="domain-status">
            {domain.status}
          </span>
        </h2>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => void onRemove()}
          aria-label={`Remove ${domain.domain}`}
        >
          Remove
        </button>
      </div>
      {domain.status === 'pending' ? (
        <>
          <p>Add this TXT record at your DNS provider, then check it:</p>
          <dl className="dns-record">
            <dt>Name</dt>
            <dd>
              <code>{domain.dnsRecord.name}</code>
            </dd>
            <dt>Value</dt>
            <dd>
              <code>{domain.dnsRecord.value}</code>
            </dd>
          </dl>
          {domain.lastCheckError && (
            <p role="alert" className="error">
              Last check {domain.lastCheckedAt && new Date(domain.lastCheckedAt).toLocaleString()}:{' '}
              {domain.lastCheckError}.
            </p>
          )}
          <button type="button" className="button" onClick={() => verify.mutate(domain.id)} disabled={verify.isPending}>
            {verify.isPending ? 'Checking…' : 'Check DNS now'}
          </button>
        </>
      ) : (
        <>
          <p>
            Verified {domain.verifiedAt && new Date(domain.verifiedAt).toLocaleDateString()}. Keep the TXT record: it
            shows the domain is still yours.
          </p>
          <label>
            <input
              type="checkbox"
              checked={domain.autoJoin}
              disabled={settings.isPending}
              onChange={(e) => saveSettings({ autoJoin: e.target.checked })}
            />{' '}
            Let people with a confirmed @{domain.domain} email join as members
          </label>
          <label>
            <input
              type="checkbox"
              checked={domain.ssoRequired}
              disabled={settings.isPending}
              onChange={(e) => saveSettings({ ssoRequired: e.target.checked })}
            />{' '}
            Require single sign-on for @{domain.domain} (no password sign-in or invitations; owners keep their password)
          </label>
          {settingsError && (
            <p role="alert" className="error">
              {settingsError.message}
            </p>
          )}
        </>
      )}
    </article>
  );
}
