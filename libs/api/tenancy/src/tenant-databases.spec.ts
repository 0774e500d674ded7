import { serverOf } from './tenant-databases.js';

describe('serverOf', () => {
  it('names host, port and database of a connection URL, never its credentials', () => {
    expect(serverOf('postgres://tenantry_app:s3cret@db.internal:6432/acme')).toBe('db.internal:6432/acme');
    expect(serverOf('postgresql://tenantry_owner:pw@10.0.0.5/acme?sslmode=require')).toBe('10.0.0.5:5432/acme');
  });
});
