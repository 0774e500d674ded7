import { jest } from '@jest/globals';
import { TENANT_REMEMBERED_MS, TENANT_UNHEARD_MS, TenantCache } from './tenant-cache.js';

const acme = { id: '6f1c1f9e-5f3a-4c1e-9d3b-2a1f0e4b7c11', slug: 'acme', name: 'Acme', status: 'active' };

describe('TenantCache', () => {
  let hearing: boolean;
  let cache: TenantCache;
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-07T10:00:00Z') });
    hearing = true;
    cache = new TenantCache(() => hearing);
  });
  afterEach(() => jest.useRealTimers());

  it('answers for a minute while every change is heard, then reads again', () => {
    cache.set('acme', acme, cache.mark());
    jest.advanceTimersByTime(TENANT_REMEMBERED_MS - 1);
    expect(cache.get('acme')).toEqual(acme);
    jest.advanceTimersByTime(1);
    expect(cache.get('acme')).toBeUndefined();
  });

  it('answers only a few seconds while changes may go unheard', () => {
    cache.set('acme', acme, cache.mark());
    hearing = false;
    jest.advanceTimersByTime(TENANT_UNHEARD_MS);
    expect(cache.get('acme')).toEqual(acme);
    jest.advanceTimersByTime(1);
    expect(cache.get('acme')).toBeUndefined();
  });

  it('does not keep an answer read before a change was heard', () => {
    const mark = cache.mark();
    cache.forget(acme); // the change lands while the stale row is on its way
    cache.set('acme', acme, mark);
    expect(cache.get('acme')).toBeUndefined();
  });

  it('forgets a tenant by id, slug and host name at once', () => {
    for (const key of [acme.id, 'acme', 'host:crm.acme.test']) cache.set(key, acme, cache.mark());
    cache.set('host:unknown.test', null, cache.mark());
    cache.forget(acme);
    expect([acme.id, 'acme', 'host:crm.acme.test'].map((key) => cache.get(key))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(cache.get('host:unknown.test')).toBeNull();
  });
});
