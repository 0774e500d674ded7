import type { CustomDomainsService } from '@tenantry/api-custom-domains';
import type { DomainsService } from '@tenantry/api-domains';
import type { PeopleService } from '@tenantry/api-people';
import type { ConsoleTenantQuery, ConsoleTenantRow, TenantsRepository } from '@tenantry/api-tenancy';
import { ListPlatformTenantsQuery } from './dto/platform-tenants.dto.js';
import { PlatformTenantsService } from './platform-tenants.service.js';

const ROW: ConsoleTenantRow = {
  id: '6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f',
  slug: 'zebra',
  name: 'Zebra',
  status: 'active',
  plan: 'pro',
  created_at: new Date('2026-01-02T03:04:05.000Z'),
  suspended_reason: null,
  impersonation_consent_required: false,
  database: null,
};

/** The service with the owners of the other tables faked: what the list asks each of, and what it gets. */
function service() {
  const asked: ConsoleTenantQuery[] = [];
  const tenants = {
    consolePage: async (query: ConsoleTenantQuery) => {
      asked.push(query);
      return { rows: [ROW], total: 1, nextCursor: null };
    },
  } as unknown as TenantsRepository;
  const people = {
    tenantsWithOwnerMatching: async () => ['owner-match'],
    memberCountsPerTenant: async () => [{ tenantId: ROW.id, members: 3 }],
    peopleOfTenants: async (ids: string[]) =>
      new Map(ids.map((id) => [id, { members: 3, ownerEmail: 'ceo@zebra.test' }])),
  } as unknown as PeopleService;
  const domains = { tenantsWithDomainMatching: async () => ['domain-match'] } as unknown as DomainsService;
  const customDomains = {
    tenantsWithHostnameMatching: async () => ['host-match'],
  } as unknown as CustomDomainsService;
  const none = {} as never;
  const platform = new PlatformTenantsService(
    tenants,
    none,
    none,
    none,
    none,
    none,
    none,
    none,
    none,
    none,
    domains,
    customDomains,
    none,
    none,
    people,
  );
  return { platform, asked };
}
const query = (fields: Partial<ListPlatformTenantsQuery>) => Object.assign(new ListPlatformTenantsQuery(), fields);

describe('PlatformTenantsService.list', () => {
  it('searches names and slugs together with the tenants whose owner, domain or custom domain matches', async () => {
    const { platform, asked } = service();
    const page = await platform.list(query({ q: '50%_off' }));
    expect(asked[0].search).toEqual({
      pattern: '%50\\%\\_off%',
      tenantIds: ['owner-match', 'domain-match', 'host-match'],
    });
    expect(asked[0].memberCounts).toBeUndefined();
    expect(page).toEqual({
      items: [
        expect.objectContaining({
          id: ROW.id,
          createdAt: '2026-01-02T03:04:05.000Z',
          members: 3,
          ownerEmail: 'ceo@zebra.test',
        }),
      ],
      total: 1,
      nextCursor: null,
    });
  });

  it('reads every tenant’s member count only to sort by members, and asks nobody without a search', async () => {
    const { platform, asked } = service();
    await platform.list(query({ sort: 'members', status: 'active', plan: 'pro', limit: 10 }));
    expect(asked[0]).toEqual({
      search: undefined,
      status: 'active',
      plan: 'pro',
      sort: 'members',
      order: undefined,
      cursor: undefined,
      memberCounts: [{ tenantId: ROW.id, members: 3 }],
      limit: 10,
    });
  });
});
