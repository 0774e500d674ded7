import { AppError } from './app-error.js';
import { decodeCursor, decodeTimeCursor, encodeCursor } from './keyset-cursor.js';

const id = '2f1c6d8e-2b1a-4c3d-9e8f-1a2b3c4d5e6f';

describe('keyset cursors', () => {
  it('round-trips the sort key and id', () => {
    const raw = encodeCursor('name', { key: 'grace hopper', id });
    expect(decodeCursor('name', raw)).toEqual({ key: 'grace hopper', id });
  });

  it('refuses a cursor made for another list or sort', () => {
    const raw = encodeCursor('name', { key: 'grace', id });
    expect(() => decodeCursor('created', raw)).toThrow(AppError);
  });

  it.each([
    'not-base64-json',
    Buffer.from('[1,2]').toString('base64url'),
    encodeCursor('created', { key: 'yesterday', id }),
  ])('refuses the malformed cursor %s', (raw) => {
    expect(() => decodeTimeCursor('created', raw)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
  });
});
