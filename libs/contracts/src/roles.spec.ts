import { can, canAssignRole } from './roles.js';

describe('permission matrix', () => {
  it('lets viewers read contacts but not write or delete them', () => {
    expect(can('viewer', 'contacts.read')).toBe(true);
    expect(can('viewer', 'contacts.write')).toBe(false);
    expect(can('viewer', 'contacts.delete')).toBe(false);
  });

  it('lets members write but only admins and owners delete', () => {
    expect(can('member', 'contacts.write')).toBe(true);
    expect(can('member', 'contacts.delete')).toBe(false);
    expect(can('admin', 'contacts.delete')).toBe(true);
    expect(can('owner', 'contacts.delete')).toBe(true);
  });

  it('grants nothing without a role', () => {
    expect(can(undefined, 'contacts.read')).toBe(false);
  });
});

describe('role assignment', () => {
  it('lets owners give and take every role, the owner role included', () => {
    expect(canAssignRole('owner', 'member', 'owner')).toBe(true);
    expect(canAssignRole('owner', 'owner', 'admin')).toBe(true);
  });

  it('lets admins manage non-owners but never create or demote an owner', () => {
    expect(canAssignRole('admin', 'member', 'admin')).toBe(true);
    expect(canAssignRole('admin', 'member', 'owner')).toBe(false);
    expect(canAssignRole('admin', 'owner', 'member')).toBe(false);
  });

  it('lets members and viewers assign nothing', () => {
    expect(canAssignRole('member', 'viewer', 'viewer')).toBe(false);
    expect(canAssignRole('viewer', null, 'viewer')).toBe(false);
  });
});
