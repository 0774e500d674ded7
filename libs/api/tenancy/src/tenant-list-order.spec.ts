import { encodeCursor } from '@tenantry/api-core';
import { afterCursor } from './tenant-list-order.js';

const ID = '6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f';
const params = () => {
  const values: unknown[] = [];
  return { values, param: (v: unknown) => `$${values.push(v)}` };
};

describe('afterCursor (console tenant list)', () => {
  it('continues after the last row, in the direction of the order', () => {
    const p = params();
    expect(afterCursor('name', 'asc', encodeCursor('name:asc', { key: 'acme', id: ID }), p.param)).toBe(
      '(lower(t.name), t.id) > ($1::text, $2::uuid)',
    );
    expect(p.values).toEqual(['acme', ID]);
    const q = params();
    expect(afterCursor('members', 'desc', encodeCursor('members:desc', { key: '12', id: ID }), q.param)).toBe(
      '(coalesce(mc.members, 0), t.id) < ($1::int, $2::uuid)',
    );
    expect(q.values).toEqual([12, ID]);
  });

  it('refuses a cursor of another sort or order, and keys of the wrong type', () => {
    const { param } = params();
    expect(() => afterCursor('members', 'desc', encodeCursor('name:asc', { key: 'acme', id: ID }), param)).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
    expect(() => afterCursor('name', 'desc', encodeCursor('name:asc', { key: 'acme', id: ID }), param)).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
    expect(() =>
      afterCursor('members', 'desc', encodeCursor('members:desc', { key: '1; drop table tenants', id: ID }), param),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    expect(() =>
      afterCursor('created', 'desc', encodeCursor('created:desc', { key: 'yesterday-ish', id: ID }), param),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    expect(() => afterCursor('name', 'asc', 'garbage', param)).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
  });
});
