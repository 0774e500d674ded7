/** True when a query failed on a UNIQUE or PRIMARY KEY constraint (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as {
    code?: string;
    driverError?: { code?: string; constraint?: string };
    constraint?: string;
  } | null;
  const code = e?.driverError?.code ?? e?.code;
  const name = e?.driverError?.constraint ?? e?.constraint;
  return code === '23505' && (constraint === undefined || name === constraint);
}

/**
 * True when PostgreSQL was out of reach rather than the query wrong: the server
 * ended the session (shutdown, crash, restart: SQLSTATE 57P01-57P03), the
 * connection broke (class 08), or it could not be opened. The pool replaces
 * the connection; the request answers 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string; message?: string }; message?: string } | null;
  const code = e?.driverError?.code ?? e?.code ?? '';
  const message = e?.driverError?.message ?? e?.message ?? '';
  return (
    /^(57P0[123]|08...)$/.test(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(code) ||
    /^Connection terminated/.test(message)
  );
}

/** True when a write was refused because its transaction is read-only (SQLSTATE 25006): a tenant transaction opened while the tenant moves. */
export function isReadOnlyTransaction(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  return (e?.driverError?.code ?? e?.code) === '25006';
}
