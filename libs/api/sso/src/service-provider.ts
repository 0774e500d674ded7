import type { TenancyService } from '@tenantry/api-tenancy';

export const NAME_ID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/** Our side of one connection, on the tenant's own address: what the IdP administrator enters, and what responses must name. */
export function serviceProviderOf(tenancy: TenancyService, slug: string, connectionId: string) {
  const base = tenancy.urlOf(slug, `/api/sso/${connectionId}`);
  return {
    entityId: `${base}/metadata`,
    acsUrl: `${base}/acs`,
    metadataUrl: `${base}/metadata`,
    loginUrl: `${base}/login`,
    nameIdFormat: NAME_ID_EMAIL,
  };
}

export type ServiceProvider = ReturnType<typeof serviceProviderOf>;
