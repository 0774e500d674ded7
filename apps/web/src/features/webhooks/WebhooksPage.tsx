import { WEBHOOK_EVENTS, type WebhookEndpoint, type WebhookEvent } from '@tenantry/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { useCreateEndpoint, useDeliveries, useEndpointAction, useEndpoints, useResend } from './webhooks-api';

/** Settings → Webhooks: endpoints that receive this workspace's events, signed; each with its delivery log. */
export function WebhooksPage() {
  const endpoints = useEndpoints();
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      <p className="hint">
        Each event is POSTed as JSON and signed the{' '}
        <a href="https://www.standardwebhooks.com/" target="_blank" rel="noreferrer">
          Standard Webhooks
        </a>{' '}
        way (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>): verify it with
        any Standard Webhooks library and the endpoint's secret before trusting it (older secrets may hold{' '}
        <code>-</code> or <code>_</code>: rotate them, or read those as <code>+</code> and <code>/</code>). A receiver
        that does not answer 2xx is retried with growing pauses for about a day.
      </p>
      {secret && (
        <div className="banner" role="status" data-testid="webhook-secret">
          Signing secret of {secret.url} — copy it now, it is not shown again: <code>{secret.secret}</code>{' '}
          <button type="button" className="button button-ghost" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      <NewEndpoint onCreated={(e) => setSecret({ url: e.url, secret: e.secret! })} />
      {endpoints.data?.length === 0 && <p>No endpoint yet.</p>}
      {endpoints.data?.map((e) => (
        <Endpoint key={e.id} endpoint={e} onSecret={(s) => setSecret({ url: e.url, secret: s })} />
      ))}
    </section>
  );
}

function NewEndpoint({ onCreated }: { onCreated: (endpoint: WebhookEndpoint) => void }) {
  const create = useCreateEndpoint();
  const toast = useToast();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([]);
  const eventsId = useId();
  const error = create.error instanceof ApiError ? create.error : null;
  const reason =
    error?.code === 'WEBHOOK_URL_FORBIDDEN' && typeof error.details?.reason === 'string'
      ? `${error.message} (${error.details.reason})`
      : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { url, events, description: description || undefined },
      {
        onSuccess: (endpoint) => {
          onCreated(endpoint);
          setUrl('');
          setDescription('');
          setEvents([]);
        },
        onError: () => toast.failure('The endpoint was not added'),
      },
    );
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-label="Add an endpoint">
      <h2>Add an endpoint</h2>
      <TextField
        label="URL"
        value={url}
        onChange={setUrl}
        required
        placeholder="https://hooks.example.com/tenantry"
        error={error?.fieldErrors.url ?? reason}
      />
      <TextField label="Description (optional)" value={description} onChange={setDescription} />
      <fieldset className="field" aria-describedby={eventsId}>
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((e) => (
          <label key={e} className="checkbox">
            <input
              type="checkbox"
              checked={events.includes(e)}
              onChange={(x) => setEvents(x.target.checked ? [...events, e] : events.filter((y) => y !== e))}
            />{' '}
            {e}
          </label>
        ))}
        <span id={eventsId} className="hint">
          {error?.fieldErrors.events ?? 'At least one.'}
        </span>
      </fieldset>
      {error && !reason && Object.keys(error.fieldErrors).length === 0 && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <button type="submit" className="button" disabled={create.isPending || events.length === 0}>
        Add endpoint
      </button>
    </form>
  );
}

function Endpoint({ endpoint, onSecret }: { endpoint: WebhookEndpoint; onSecret: (secret: string) => void }) {
  const action = useEndpointAction(endpoint.id);
  const [open, setOpen] = useState(false);
  const confirm = useConfirm();
  const toast = useToast();
  const failed = (what: string) => () => toast.failure(`${what} ${endpoint.url} failed`);
  const onRotate = async () => {
    const confirmed = await confirm({
      title: `Rotate the secret of ${endpoint.url}?`,
      description:
        'A new secret signs from now on; the old one stops at once, so the receiver must switch to the new one.',
      confirmLabel: 'Rotate secret',
    });
    if (confirmed)
      action.mutate(
        { kind: 'rotate' },
        { onSuccess: (e) => onSecret((e as WebhookEndpoint).secret!), onError: failed('Rotating the secret of') },
      );
  };
  const onDelete = async () => {
    const confirmed = await confirm({
      title: `Delete ${endpoint.url}?`,
      description: 'The endpoint stops receiving events, and its delivery log is deleted with it.',
      confirmLabel: 'Delete endpoint',
    });
    if (confirmed)
      action.mutate(
        { kind: 'delete' },
        { onSuccess: () => toast.success(`${endpoint.url} deleted`), onError: failed('Deleting') },
      );
  };
  return (
    <article className="card" aria-label={`Endpoint ${endpoint.url}`}>
      <h3>{endpoint.url}</h3>
      {endpoint.description && <p>{endpoint.description}</p>}
      <p className="hint">
        {endpoint.events.join(', ')} · secret {endpoint.secretHint} · {endpoint.enabled ? 'enabled' : 'disabled'}
      </p>
      <div className="row">
        <button type="button" className="button button-ghost" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => action.mutate({ kind: 'ping' }, { onSuccess: () => setOpen(true) })}
        >
          Send a test event
        </button>
        <button
          type="button"
          className="button button-ghost"
          onClick={() =>
            action.mutate(
              { kind: 'enable', enabled: !endpoint.enabled },
              {
                onSuccess: () => toast.success(`${endpoint.url} ${endpoint.enabled ? 'disabled' : 'enabled'}`),
                onError: failed(endpoint.enabled ? 'Disabling' : 'Enabling'),
              },
            )
          }
        >
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" className="button button-ghost" onClick={() => void onRotate()}>
          Rotate secret
        </button>
        <button type="button" className="button button-ghost" onClick={() => void onDelete()}>
          Delete
        </button>
      </div>
      {action.error && (
        <p role="alert" className="error">
          {action.error.message}
        </p>
      )}
      {open && <Deliveries endpointId={endpoint.id} />}
    </article>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const deliveries = useDeliveries(endpointId);
  const resend = useResend(endpointId);
  const rows = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <table className="table" aria-label="Deliveries">
        <thead>
          <tr>
            <th>Sent</th>
            <th>Event</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Answer</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id}>
              <td>{new Date(d.createdAt).toLocaleString()}</td>
              <td>
                <code>{d.event}</code>
              </td>
              <td>
                <span className={d.status === 'failed' ? 'badge badge-danger' : 'badge'}>{d.status}</span>
                {d.status === 'pending' && d.nextAttemptAt && (
                  <div className="hint">next try {new Date(d.nextAttemptAt).toLocaleTimeString()}</div>
                )}
              </td>
              <td>{d.attempts}</td>
              <td>
                {d.responseStatus ?? '—'}
                {d.durationMs !== null && ` in ${d.durationMs} ms`}
                {d.error && <div className="hint">{d.error}</div>}
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="button button-ghost"
                  onClick={() => resend.mutate(d.id)}
                  disabled={resend.isPending}
                  aria-label={`Resend ${d.event} of ${new Date(d.createdAt).toLocaleString()}`}
                >
                  Resend
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deliveries.isSuccess && rows.length === 0 && <p className="hint">Nothing sent yet.</p>}
      {deliveries.hasNextPage && (
        <button type="button" className="button button-ghost" onClick={() => deliveries.fetchNextPage()}>
          Load more
        </button>
      )}
    </>
  );
}
