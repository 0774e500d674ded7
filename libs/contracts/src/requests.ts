import type { TenantRole } from './roles.js';

/*
 * Request bodies: the API's DTO classes implement these (their decorators add
 * the checks), and the SPA sends them, so the two cannot drift apart.
 */

/** `POST /api/contacts`; every field optional for `PATCH /api/contacts/:id`. An empty text field means none. */
export interface ContactRequest {
  name: string;
  email?: string | null;
  company?: string | null;
  tags?: string[];
  notes?: string | null;
}

/** `POST /api/auth/signup`: a new workspace and its owner. */
export interface SignupRequest {
  tenantName: string;
  slug: string;
  displayName: string;
  email: string;
  password: string;
  industry?: string;
  /** A data: URL of the company's logo. */
  logo?: string;
  /** Billed manually: the plan whose trial starts with the workspace. */
  plan?: string;
}

/** `POST /api/platform/tenants`: a tenant made by an operator, its owner invited. */
export interface CreatePlatformTenantRequest {
  name: string;
  slug: string;
  ownerEmail: string;
  plan?: string;
  /** A dedicated database's name; the shared one when absent. */
  database?: string;
}

/** `POST /api/platform/tenants/:id/licenses`: a signed license for a self-hosted or contract tenant. */
export interface IssueLicenseRequest {
  plan: string;
  seats?: number;
  validFrom?: string;
  validUntil: string | null;
}

/** `POST /api/sso/connections`; every field optional for `PATCH /api/sso/connections/:id`. */
export interface SsoConnectionRequest {
  name?: string;
  metadataXml?: string;
  idpEntityId?: string;
  idpSsoUrl?: string;
  idpCertificate?: string;
  defaultRole?: TenantRole;
  enabled?: boolean;
  attributeMapping?: Partial<Record<'email' | 'firstName' | 'lastName' | 'groups', string>>;
  groupRoles?: { group: string; role: TenantRole }[];
  domains?: string[];
  allowIdpInitiated?: boolean;
}
