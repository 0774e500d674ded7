import { safeReturnTo } from './return-to.js';

describe('safeReturnTo', () => {
  it('keeps paths of this site, with their query and fragment', () => {
    expect(safeReturnTo('/contacts?q=a#top')).toBe('/contacts?q=a#top');
    expect(safeReturnTo('/contacts/../settings')).toBe('/settings');
    expect(safeReturnTo('/?next=%2Fcontacts')).toBe('/?next=%2Fcontacts');
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo('')).toBe('/');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    'contacts',
    '/\tx',
    ['/a'],
  ])('refuses %p', (value) => {
    expect(safeReturnTo(value)).toBeNull();
  });

  // Each of these is a path as typed, but normalizes (or decodes in a router) to `//host` or `/\host`.
  it.each([
    '/..//evil.test',
    '/.//evil.test',
    '/a/..//evil.test',
    '/%2e%2e//evil.test',
    '/%2F%2Fevil.test',
    '/%2f/evil.test',
    '/%5Cevil.test',
    '/\t/evil.test',
    '/\n/evil.test',
    '/\u007f/evil.test',
  ])('refuses %p, whose normalized path could lead to another host', (value) => {
    expect(safeReturnTo(value)).toBeNull();
  });
});
