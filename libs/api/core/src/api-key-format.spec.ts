import { apiKeyOf, newApiKey, tenantOfApiKey } from './api-key-format.js';

const tenantId = '2f1c6d8e-2b1a-4c3d-9e8f-1a2b3c4d5e6f';

describe('API key format', () => {
  it('names its tenant, and shows a short visible prefix', () => {
    const { key, prefix } = newApiKey(tenantId);
    expect(key).toMatch(/^tk_live_[A-Za-z0-9_-]{54}$/);
    expect(prefix).toBe(key.slice(0, 14));
    expect(tenantOfApiKey(key)).toBe(tenantId);
  });

  it('makes a different secret every time', () => {
    expect(newApiKey(tenantId).key).not.toBe(newApiKey(tenantId).key);
  });

  it('reads nothing from text of another shape', () => {
    expect(tenantOfApiKey('tk_live_short')).toBeNull();
    expect(tenantOfApiKey('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBeNull();
  });

  it('is found in Authorization: Bearer or X-API-Key, and JWTs are left alone', () => {
    const { key } = newApiKey(tenantId);
    expect(apiKeyOf({ authorization: `Bearer ${key}` })).toBe(key);
    expect(apiKeyOf({ 'x-api-key': key })).toBe(key);
    expect(apiKeyOf({ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' })).toBeUndefined();
  });
});
