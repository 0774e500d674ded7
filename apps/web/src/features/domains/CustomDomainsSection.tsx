import type { CustomDomain } from '@tenantry/contracts';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { useFeature } from '../flags/features-api';
import {
  useAddCustomDomain,
  useCustomDomains,
  useRemoveCustomDomain,
  useVerifyCustomDomain,
} from './custom-domains-api';

/** Settings → Domains → Custom domains: open the workspace at the company's own address (app.acme.com). */
export function CustomDomainsSection() {
  const included = useFeature('custom_domains');
  const domains = useCustomDomains(included);
  const add = useAddCustomDomain();
  const toast = useToast();
  const [hostname, setHostname] = useState('');
  const error = add.error instanceof ApiError ? add.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(hostname, {
      onSuccess: (added) => {
        toast.success(`${added.hostname} added`, 'Publish its DNS records, then check them.');
        setHostname('');
      },
      onError: () => toast.failure('The custom domain was not added'),
    });
  };
  return (
    <section aria-labelledby="custom-domains-title">
      <h2 id="custom-domains-title">Custom domains</h2>
      {!included ? (
        <p className="hint">Custom domains are not included in this workspace's plan.</p>
      ) : (
        <>
          <p className="hint">
            Open this workspace at your own address. Add the host name, publish the two DNS records, and check.
          </p>
          <form className="row" onSubmit={onSubmit}>
            <div className="grow">
              <TextField
                label="Host name"
                value={hostname}
                onChange={setHostname}
                placeholder="app.acme.com"
                required
                error={
                  error?.fieldErrors.hostname ??
                  (error && error.code !== 'VALIDATION_FAILED' ? error.message : undefined)
                }
              />
            </div>
            <button type="submit" className="button" disabled={add.isPending}>
              {add.isPending ? 'Adding…' : 'Add custom domain'}
            </button>
          </form>
          {domains.isError && (
            <p role="alert" className="error">
              {(domains.error as Error).message}
            </p>
          )}
          {domains.data?.map((d) => (
            <CustomDomainCard key={d.id} domain={d} />
          ))}
          {domains.data?.length === 0 && <p className="hint">No custom domains yet.</p>}
        </>
      )}
    </section>
  );
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

function CustomDomainCard({ domain }: { domain: CustomDomain }) {
  const verify = useVerifyCustomDomain();
  const remove = useRemoveCustomDomain();
  const verifyError =
    verify.error instanceof ApiError && verify.error.code !== 'DOMAIN_VERIFICATION_FAILED' ? verify.error : null;
  const confirm = useConfirm();
  const toast = useToast();
  const onRemove = async () => {
    const confirmed = await confirm({
      title: `Remove ${domain.hostname}?`,
      description: 'It stops opening this workspace at once; adding it again takes new DNS records and a new check.',
      confirmLabel: 'Remove custom domain',
    });
    if (confirmed)
      remove.mutate(domain.id, {
        onSuccess: () => toast.success(`${domain.hostname} removed`),
        onError: (error) => toast.failure(`${domain.hostname} was not removed`, error),
      });
  };
  return (
    <article className="card domain" aria-label={domain.hostname}>
      <div className="row spread">
        <h3>
          {domain.hostname}{' '}
          <span className="badge" data-testid="custom-domain-status">
            {domain.status}
          </span>
        </h3>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => void onRemove()}
          aria-label={`Remove ${domain.hostname}`}
        >
          Remove
        </button>
      </div>
      {domain.status === 'verified' && (
        <p>
          Verified {new Date(domain.verifiedAt!).toLocaleDateString()}:{' '}
          <a href={`${location.protocol}//${domain.hostname}`}>{domain.hostname}</a> opens this workspace. Keep both
          records: the TXT record is checked every day.
        </p>
      )}
      {domain.status === 'failing' && (
        <p role="alert" className="error">
          The TXT record was not found on {when(domain.lastCheckedAt)} ({domain.lastCheckError}). Put it back before{' '}
          {when(domain.unverifiesAt)} or the domain stops opening this workspace.
        </p>
      )}
      {domain.status !== 'verified' && (
        <>
          <p>Publish these records at your DNS provider{domain.status === 'pending' ? ', then check them' : ''}:</p>
          <dl className="dns-record">
            <dt>TXT</dt>
            <dd>
              <code>{domain.dnsRecord.name}</code> → <code>{domain.dnsRecord.value}</code>
            </dd>
            <dt>CNAME</dt>
            <dd>
              <code>{domain.hostname}</code> → <code>{domain.cnameTarget}</code>
            </dd>
          </dl>
          {domain.status === 'pending' && domain.lastCheckError && (
            <p role="alert" className="error">
              Last check {when(domain.lastCheckedAt)}: {domain.lastCheckError}.
            </p>
          )}
          {verifyError && (
            <p role="alert" className="error">
              {verifyError.message}
            </p>
          )}
          {domain.status === 'pending' && (
            <button
              type="button"
              className="button"
              onClick={() => verify.mutate(domain.id)}
              disabled={verify.isPending}
            >
              {verify.isPending ? 'Checking…' : 'Check DNS now'}
            </button>
          )}
        </>
      )}
    </article>
  );
}
