import { ErrorCode, UUID_PATTERN } from '@tenantry/contracts';
import { AppError } from './app-error.js';

/** Where the next page of a keyset-paginated list starts: the sort key and id of the last row. */
export interface KeysetPosition {
  key: string;
  id: string;
}

/** An opaque cursor for `position` in the list named by `scope` (e.g. the sort order). */
export function encodeCursor(scope: string, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([scope, position.key, position.id])).toString('base64url');
}

/** Reads a cursor made by `encodeCursor` for the same scope; anything else is INVALID_CURSOR. */
export function decodeCursor(scope: string, raw: string): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new AppError(ErrorCode.INVALID_CURSOR);
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new AppError(ErrorCode.INVALID_CURSOR);
  const [cursorScope, key, id] = parsed as unknown[];
  if (cursorScope !== scope)
    throw new AppError(ErrorCode.INVALID_CURSOR, { reason: 'cursor was made for another list or sort' });
  if (typeof key !== 'string' || typeof id !== 'string' || !UUID_PATTERN.test(id))
    throw new AppError(ErrorCode.INVALID_CURSOR);
  return { key, id };
}

/** Like decodeCursor, for lists keyed by a timestamp. */
export function decodeTimeCursor(scope: string, raw: string): KeysetPosition {
  const position = decodeCursor(scope, raw);
  if (Number.isNaN(Date.parse(position.key))) throw new AppError(ErrorCode.INVALID_CURSOR);
  return position;
}
