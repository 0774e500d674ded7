import { jest } from '@jest/globals';
import { ExpiringCache } from './expiring-cache.js';

describe('ExpiringCache', () => {
  afterEach(() => jest.useRealTimers());

  it('answers until the entry expires, then forgets it', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = new ExpiringCache<string>(10);
    cache.set('a', 'first', 1_000_500);
    expect(cache.get('a')).toBe('first');
    jest.setSystemTime(1_000_499);
    expect(cache.get('a')).toBe('first');
    jest.setSystemTime(1_000_500);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('never set')).toBeUndefined();
  });

  it('makes room by dropping the least recently used entry when full', () => {
    const cache = new ExpiringCache<number>(2);
    const later = Date.now() + 60_000;
    cache.set('one', 1, later);
    cache.set('two', 2, later);
    cache.set('one', 11, later); // set again: now the newest
    cache.set('three', 3, later);
    expect([cache.get('one'), cache.get('two'), cache.get('three')]).toEqual([11, undefined, 3]);
  });

  it('drops entries by key or by what they hold', () => {
    const cache = new ExpiringCache<{ tenant: string }>(10);
    const later = Date.now() + 60_000;
    cache.set('acme', { tenant: 't1' }, later);
    cache.set('acme.example.com', { tenant: 't1' }, later);
    cache.set('globex', { tenant: 't2' }, later);
    cache.deleteWhere((v) => v.tenant === 't1');
    cache.delete('globex');
    expect([cache.get('acme'), cache.get('acme.example.com'), cache.get('globex')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
