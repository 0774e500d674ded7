import { safeReturnTo } from './return-to.js';

describe('safeReturnTo', () => {
  it('keeps paths of this site, with their query and fragment', () => {
    expect(safeReturnTo('/contacts?q=a#top')).toBe('/contacts?q=a#top');
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo('')).toBe('/');
  });

  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'contacts', '/\tx', ['/a']])('refuses %p', (value) => {
    expect(safeReturnTo(value)).toBeNull();
  });
});
