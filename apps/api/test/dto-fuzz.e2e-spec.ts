import fc from 'fast-check';
import type { Test } from 'supertest';
import { seedProbeTenant } from './support/isolation-probe.js';
import { document, type Operation, resolve, type Schema } from './support/openapi-document.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Every route that takes input (path, query or body, read from the committed
 * OpenAPI document, which openapi.e2e-spec keeps equal to the app's) gets 1,000 generated requests — values shaped by each DTO
 * field's type, enum and example, mixed with junk of any JSON type, edge
 * strings and unknown fields — and must answer every one below 500: bad input
 * is a 4xx with a code, never a crash.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);

const routes = Object.entries(document.paths)
  .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ method, path, operation })))
  .filter(({ operation }) => (operation.parameters?.length ?? 0) > 0 || operation.requestBody)
  // The tenant's routes first; the operator's after (they may suspend tenants or switch maintenance on).
  .sort((a, b) => Number(a.path.startsWith('/api/platform')) - Number(b.path.startsWith('/api/platform')));

let t: TestApp;
let origin: string;
let ids: string[];
let tokens: { owner: string; operator: string };
let people: Record<keyof typeof tokens, { member: { email: string; password: string }; tenant?: string }>;

const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '%',
  '%%%',
  "'; drop table contacts; --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'ñandú',
  '🙂'.repeat(50),
  'a'.repeat(5_000),
  'null',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
];
const junk = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ maxLength: 40 }),
    fc.constantFrom(...EDGE_STRINGS),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );

/** Values a DTO field would accept, or nearly: its enum, example, type and bounds. */
function shaped(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(raw);
  const examples = schema.example === undefined ? [] : [fc.constant(schema.example)];
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), ...examples);
  switch (schema.type ?? 'object') {
    case 'string':
      if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...ids), fc.uuid());
      if (schema.format === 'date-time')
        return fc
          .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      return fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom(...EDGE_STRINGS), ...examples);
    case 'integer':
    case 'number':
      return fc.oneof(
        fc.integer({ min: (schema.minimum ?? 0) - 5, max: (schema.maximum ?? 1_000) + 5 }),
        fc.double(),
        ...examples,
      );
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(schema.items ? shaped(schema.items, depth + 1) : junk(), { maxLength: 6 });
    default:
      if (schema.properties && depth < 3) return objectOf(schema, depth + 1);
      return junk();
  }
}

/** An object of the DTO's fields (each present or not, shaped or junk), sometimes with a field it does not know. */
function objectOf(schema: Schema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, field]) => [
      name,
      fc.oneof({ weight: 4, arbitrary: shaped(field, depth) }, { weight: 1, arbitrary: junk() }),
    ]),
  );
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.option(fc.dictionary(fc.string({ maxLength: 12 }), junk(), { maxKeys: 2 }), { nil: undefined }),
    )
    .map(([known, unknown]) => ({ ...unknown, ...known }));
}

const asQueryValue = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

interface Input {
  path: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
}

function inputsOf(operation: Operation): fc.Arbitrary<Input> {
  const params = operation.parameters ?? [];
  const path = Object.fromEntries(
    params
      .filter((p) => p.in === 'path')
      .map((p) => [
        p.name,
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...ids) },
          fc.uuid(),
          fc.string({ minLength: 1, maxLength: 40 }),
          fc.constantFrom(...EDGE_STRINGS.filter(Boolean)),
        ),
      ]),
  );
  const query = Object.fromEntries(
    params
      .filter((p) => p.in === 'query')
      .map((p) => [
        p.name,
        fc.option(fc.oneof({ weight: 3, arbitrary: shaped(p.schema ?? {}) }, junk()).map(asQueryValue), {
          nil: undefined,
        }),
      ]),
  );
  const body = operation.requestBody?.content['application/json']?.schema;
  return fc.record({
    path: fc.record(path),
    query: fc.record(query, { requiredKeys: [] }),
    body: body
      ? fc.oneof(
          { weight: 4, arbitrary: resolve(body).properties ? objectOf(resolve(body)) : shaped(body) },
          { weight: 1, arbitrary: junk() },
        )
      : fc.constant(undefined),
  });
}

/** Over one kept-alive connection pool to the listening app (supertest would open a server per request). */
async function send(
  method: string,
  template: string,
  input: Input,
  token: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(
    template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input.path[name] ?? 'x')),
    origin,
  );
  for (const [key, value] of Object.entries(input.query)) if (value !== undefined) url.searchParams.set(key, value);
  const res = await fetch(url, {
    method: method.toUpperCase(),
    headers: {
      Authorization: `Bearer ${token}`,
      ...(input.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: input.body === undefined ? undefined : JSON.stringify(input.body),
    // A redirect (an SSO login to the IdP) is the answer: following it would leave the app.
    redirect: 'manual',
  });
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  origin = await t.app.getUrl();
  const probe = await seedProbeTenant(t);
  const other = await seedProbeTenant(t); // the operator's routes aim at this one, so nothing they do stops the tenant routes
  ids = [...probe.ids, ...other.ids];
  const root = await t.data.aSuperAdmin();
  tokens = { owner: await t.login(probe.members.owner), operator: await t.login(root) };
  people = { owner: { member: probe.members.owner, tenant: probe.tenant.slug }, operator: { member: root } };
});

/** A new sign-in of `caller` (after a route ended their sessions): a fresh token, not a cached one. */
async function freshLogin(caller: keyof typeof tokens): Promise<string> {
  const { member, tenant } = people[caller];
  const req = t.http.post('/api/auth/login').send({ email: member.email, password: member.password });
  if (tenant) req.set('X-Tenant', tenant);
  const res = await req;
  if (res.status !== 200)
    throw new Error(`signing ${caller} in again answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

/** Platform-wide maintenance off and no window planned: an operator route may have switched it on, or planned a window over now. */
async function noMaintenance(): Promise<void> {
  const as = (req: Test) => req.set('Authorization', `Bearer ${tokens.operator}`);
  await as(t.http.put('/api/platform/maintenance')).send({ active: false }).expect(200);
  const windows = (await as(t.http.get('/api/platform/maintenance/windows')).expect(200)).body as { id: string }[];
  for (const { id } of windows)
    await as(t.http.delete(`/api/platform/maintenance/windows/${id}`)).expect((res) =>
      expect(res.status).toBeLessThan(300),
    );
}

afterAll(async () => {
  await t?.close();
});

test('the fuzzed routes are every route that takes input', () => {
  expect(routes.length).toBeGreaterThan(80);
});

describe.each(routes)('$method $path', ({ method, path, operation }) => {
  test(`answers ${RUNS} generated inputs below 500`, async () => {
    const caller = path.startsWith('/api/platform') ? 'operator' : 'owner';
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(inputsOf(operation), async (input) => {
        const res = await send(method, path, input, tokens[caller]);
        requests++;
        if (res.status >= 500) throw new Error(`${method.toUpperCase()} ${path} answered ${res.status} ${res.body}`);
      }),
      { numRuns: RUNS },
    );
    expect(requests).toBeGreaterThanOrEqual(RUNS);
    // The route may have ended the caller's sessions (logout-all, a role change): they sign in again for the next.
    if ((await t.http.get('/api/auth/me').set('Authorization', `Bearer ${tokens[caller]}`)).status === 401)
      tokens[caller] = await freshLogin(caller);
    // Maintenance switched on by a generated input would answer every later route 503, sign-ins included.
    if (caller === 'operator') await noMaintenance();
  }, 120_000);
});
