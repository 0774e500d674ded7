import type { TestData, TestMember, TestTenant } from '@tenantry/testing/factories';
import type { TestWebhookReceiver } from '@tenantry/testing/webhook-receiver';

/** A JSON answer, read loosely: tests pick the fields they assert. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface Client {
  /** One API call as the signed-in member; resolves with status and parsed body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
}

/** Signs a member in at `origin` (their tenant named by X-Tenant) and calls with their access token, at any origin given later. */
export async function signIn(
  origin: string,
  member: Pick<TestMember, 'email' | 'password' | 'tenant'>,
): Promise<{ token: string; at(origin: string): Client }> {
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Tenant': member.tenant.slug },
    body: JSON.stringify({ email: member.email, password: member.password }),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  const { accessToken: token } = (await res.json()) as { accessToken: string };
  return { token, at: (o) => clientAt(o, token) };
}

export function clientAt(origin: string, token: string): Client {
  return {
    async call(method, path, body) {
      const res = await fetch(`${origin}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/**
 * A new tenant whose owner is signed in at `origin` and has a webhook endpoint for `events` at `path` of the
 * receiver (the API must answer 201).
 */
export async function anOwnerWithWebhook(
  data: TestData,
  origin: string,
  endpoint: { receiver: TestWebhookReceiver; path: string; events: string[] },
): Promise<{ tenant: TestTenant; token: string; owner: Client }> {
  const tenant = await data.aTenant();
  const { token, at } = await signIn(origin, await data.aMember(tenant, 'owner'));
  const owner = at(origin);
  expect(
    (
      await owner.call('POST', '/api/webhooks/endpoints', {
        url: `http://127.0.0.1:${endpoint.receiver.port}${endpoint.path}`,
        events: endpoint.events,
      })
    ).status,
  ).toBe(201);
  return { tenant, token, owner };
}
