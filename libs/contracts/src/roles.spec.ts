import { can } from './roles.js';

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
