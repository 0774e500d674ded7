import { ERRORS, type ErrorCode } from '@tenantry/contracts';

/**
 * The one exception type services throw for expected failures. The global
 * filter turns it into `{ error: { code, message, details } }` with the status
 * that `ERRORS` assigns to the code.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: Record<string, unknown>,
    message?: string,
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}
