import { AppError } from '@tenantry/api-core';
import { type ContactSort, ErrorCode, UUID_PATTERN } from '@tenantry/contracts';

/** The position after which the next page starts: the sort key and id of the last row. */
export interface ContactCursor {
  key: string;
  id: string;
}

export function encodeCursor(sort: ContactSort, cursor: ContactCursor): string {
  return Buffer.from(JSON.stringify([sort, cursor.key, cursor.id])).toString('base64url');
}

/** Reads a cursor made by `encodeCursor` for the same sort; anything else is INVALID_CURSOR. */
export function decodeCursor(sort: ContactSort, raw: string): ContactCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new AppError(ErrorCode.INVALID_CURSOR);
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new AppError(ErrorCode.INVALID_CURSOR);
  const [cursorSort, key, id] = parsed as unknown[];
  if (cursorSort !== sort) throw new AppError(ErrorCode.INVALID_CURSOR, { reason: 'cursor was made for another sort' });
  if (typeof key !== 'string' || typeof id !== 'string' || !UUID_PATTERN.test(id)) throw new AppError(ErrorCode.INVALID_CURSOR);
  if (sort === 'created' && Number.isNaN(Date.parse(key))) throw new AppError(ErrorCode.INVALID_CURSOR);
  return { key, id };
}
