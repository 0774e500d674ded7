import { AppError, decodeCursor } from '@tenantry/api-core';
import { ErrorCode, type PlatformTenantSort } from '@tenantry/contracts';

/**
 * How the console's tenant list orders: the expression, its natural
 * direction, the text a cursor carries (created_at with its microseconds: a
 * JS Date would cut them and skip rows) and the type that text is read back as.
 */
export const SORTS = {
  name: { key: 'lower(t.name)', text: 'lower(t.name)', cast: 'text', natural: 'asc' },
  created: {
    key: 't.created_at',
    text: `to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    cast: 'timestamptz',
    natural: 'desc',
  },
  members: { key: 'coalesce(mc.members, 0)', text: 'coalesce(mc.members, 0)::text', cast: 'int', natural: 'desc' },
} as const;

/** A cursor belongs to one sort and order: one of another is refused instead of skipping or repeating rows. */
export const cursorScope = (sort: PlatformTenantSort, order: 'asc' | 'desc') => `${sort}:${order}`;

/**
 * The keyset condition "after this cursor" for the sort and order; `param`
 * adds a query parameter and returns its placeholder. INVALID_CURSOR for a
 * cursor of another list or one whose key is not of the sort's type.
 */
export function afterCursor(
  sort: PlatformTenantSort,
  order: 'asc' | 'desc',
  cursor: string,
  param: (value: unknown) => string,
): string {
  const spec = SORTS[sort];
  const after = decodeCursor(cursorScope(sort, order), cursor);
  const key = spec.cast === 'int' ? Number(after.key) : after.key;
  const valid =
    spec.cast === 'int'
      ? Number.isSafeInteger(key) && after.key.trim() !== ''
      : spec.cast === 'timestamptz'
        ? !Number.isNaN(Date.parse(after.key))
        : true;
  if (!valid) throw new AppError(ErrorCode.INVALID_CURSOR);
  return `(${spec.key}, t.id) ${order === 'asc' ? '>' : '<'} (${param(key)}::${spec.cast}, ${param(after.id)}::uuid)`;
}
