import type { Invitation } from '@tenantry/contracts';
import type { StoredInvitation } from '@tenantry/api-people';

export function toInvitation(i: StoredInvitation): Invitation {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    invitedBy: i.invitedBy,
    createdAt: i.createdAt.toISOString(),
    sentAt: i.sentAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    status: i.expiresAt.getTime() > Date.now() ? 'pending' : 'expired',
  };
}
