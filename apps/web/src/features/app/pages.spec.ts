import {
  type AuthTokenResponse,
  FEATURE_CODES,
  type TenantFeatures,
  type TenantRole,
  TENANT_ROLES,
} from '@tenantry/contracts';
import { APP_PAGES, navigationFor } from './pages';

const tenant = { id: '9b2f7c1e-1d1a-4c56-9a3e-5d6f7a8b9c0d', slug: 'acme', name: 'Acme' };
const user = { id: 'u1', email: 'p@acme.test', displayName: 'P', platformRole: 'none', emailVerified: true } as const;
const member = (role: TenantRole, extra: Partial<AuthTokenResponse> = {}): AuthTokenResponse => ({
  accessToken: 't',
  expiresIn: 900,
  tenant,
  role,
  user,
  readOnly: false,
  ...extra,
});
const operator: AuthTokenResponse = {
  ...member('owner'),
  tenant: null,
  role: null,
  user: { ...user, platformRole: 'super_admin' },
};
const features = (enabled: boolean): TenantFeatures =>
  Object.fromEntries(FEATURE_CODES.map((code) => [code, { enabled, source: 'plan', config: null }])) as TenantFeatures;
const labels = (session: AuthTokenResponse, on = true) =>
  navigationFor(session, features(on)).map((item) => item.label);

describe('the pages of the app', () => {
  it("show an owner every tenant page, in order, and nothing of the operator's console", () => {
    expect(labels(member('owner'))).toEqual([
      'Contacts',
      'Members',
      'API keys',
      'Domains',
      'Single sign-on',
      'Branding',
      'Plan & usage',
      'Billing',
      'Audit log',
      'Webhooks',
      'Data',
      'Profile',
    ]);
  });

  it('show members and viewers their contacts and profile only', () => {
    expect(labels(member('member'))).toEqual(['Contacts', 'Profile']);
    expect(labels(member('viewer'))).toEqual(['Contacts', 'Profile']);
  });

  it("leave out the pages of features the tenant's plan lacks", () => {
    expect(labels(member('admin'), false)).toEqual([
      'Contacts',
      'Members',
      'Domains',
      'Plan & usage',
      'Billing',
      'Audit log',
      'Webhooks',
      'Profile',
    ]);
  });

  it('keep the data and profile pages from someone impersonating', () => {
    const impersonation = { id: 'i1', actor: { id: 'op', email: 'op@x.test' }, reason: 'ticket 1', expiresAt: '' };
    expect(labels(member('owner', { impersonation }))).not.toContain('Data');
    expect(labels(member('owner', { impersonation }))).not.toContain('Profile');
  });

  it("show an operator without a tenant the console's pages", () => {
    expect(labels(operator)).toEqual([
      'Overview',
      'Tenants',
      'Plans & features',
      'Maintenance',
      'Audit log',
      'Releases',
      'Profile',
    ]);
  });

  it('list a page in the navigation exactly when it may be opened', () => {
    const sessions = [...TENANT_ROLES.map((role) => member(role)), operator];
    for (const session of sessions) {
      const listed = new Set(navigationFor(session, features(true)).map((item) => item.path));
      for (const page of APP_PAGES.filter((p) => p.label !== undefined))
        expect([page.path, listed.has(page.path)]).toEqual([page.path, page.allowed(session)]);
    }
  });

  it('declare each address once', () => {
    const paths = APP_PAGES.map((page) => page.path);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
