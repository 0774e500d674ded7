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
} as const satisfies Record<string, readonly TenantRole[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: TenantRole | undefined, permission: Permission): boolean {
  return role !== undefined && (PERMISSIONS[permission] as readonly TenantRole[]).includes(role);
}
