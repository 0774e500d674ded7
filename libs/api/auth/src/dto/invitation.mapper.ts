import type { Invitation } from '@tenantry/contracts';
import type { InvitationEntity } from '../entities/invitation.entity.js';

export function toInvitation(i: InvitationEntity): Invitation {
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
