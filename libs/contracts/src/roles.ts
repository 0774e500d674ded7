/** Roles a user can hold inside one tenant, from most to least powerful. */
export const TENANT_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** Roles on the platform itself (the operator), independent of any tenant. */
export const PLATFORM_ROLES = ['none', 'super_admin'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/**
 * The permission matrix: which tenant roles may do what. Guards on the API and
 * menus in the SPA both read it, so the two can never disagree.
 */
export const PERMISSIONS = {
  'contacts.read': ['owner', 'admin', 'member', 'viewer'],
  'contacts.write': ['owner', 'admin', 'member'],
  'contacts.delete': ['owner', 'admin'],
  'members.read': ['owner', 'admin'],
  'members.manage': ['owner', 'admin'],
  'api_keys.manage': ['owner', 'admin'],
  'audit.read': ['owner', 'admin'],
  'domains.manage': ['owner', 'admin'],
  'branding.manage': ['owner', 'admin'],
  'impersonation.approve': ['owner'],
  'sso.manage': ['owner', 'admin'],
  // Which identity provider vouches for people (and may sign in as an owner): owners only.
  'sso.trust': ['owner'],
  'plan.manage': ['owner', 'admin'],
  'billing.read': ['owner', 'admin'],
  'billing.manage': ['owner'],
  'webhooks.manage': ['owner', 'admin'],
  // The whole tenant's data leaves, or the tenant goes: owners only.
  'tenant.export': ['owner'],
  'tenant.delete': ['owner'],
} as const satisfies Record<string, readonly TenantRole[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: TenantRole | null | undefined, permission: Permission): boolean {
  return !!role && (PERMISSIONS[permission] as readonly TenantRole[]).includes(role);
}

/**
 * The permissions an API key may carry as scopes. Managing members and keys
 * stays with people: a key can never mint keys or change who belongs.
 */
export const API_KEY_SCOPES = [
  'contacts.read',
  'contacts.write',
  'contacts.delete',
  'members.read',
  'audit.read',
] as const satisfies readonly Permission[];
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Only an owner may make someone an owner or change an owner's role (admins manage everyone else). */
export function canAssignRole(actor: TenantRole, from: TenantRole | null, to: TenantRole): boolean {
  if (!can(actor, 'members.manage')) return false;
  return actor === 'owner' || (from !== 'owner' && to !== 'owner');
}
