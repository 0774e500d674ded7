import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ERRORS, ErrorCode, type ErrorBody } from '@tenantry/contracts';
import type { Response } from 'express';
import { AppError } from './app-error.js';
import { isDatabaseUnavailable, isReadOnlyTransaction } from './postgres-errors.js';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.MALFORMED_REQUEST,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.ROUTE_NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
};

const RETRY_SOON = new Set<ErrorCode>([
  ErrorCode.DATABASE_BUSY,
  ErrorCode.UNHEALTHY,
  ErrorCode.SHUTTING_DOWN,
  ErrorCode.TENANT_MOVING,
]);

/** node-postgres pool checkout timeout: the pool is exhausted. */
function isPoolTimeout(error: unknown): boolean {
  return error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message);
}

/** The up/down state of each component of a failed health check, without its error texts. */
function componentStatus(response: unknown): Record<string, unknown> | undefined {
  const details = (response as { details?: Record<string, { status?: string }> } | null)?.details;
  if (!details) return undefined;
  return { components: Object.fromEntries(Object.entries(details).map(([name, d]) => [name, d.status ?? 'down'])) };
}

/** Writes `error` as the response: its status, `{ error: { code, message, details } }`, and Retry-After when another try soon makes sense. */
export function sendError(res: Response, error: AppError): void {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details) body.error.details = error.details;
  // Busy, or a dependency or this server away (a restart, an outage): worth another try shortly.
  if (RETRY_SOON.has(error.code)) res.setHeader('Retry-After', '1');
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  res.status(error.status).json(body);
}

/**
 * Maps every error to `{ error: { code, message, details } }`. Only our own
 * codes and messages reach the client: unknown errors become INTERNAL and are
 * logged here, so no stack trace, SQL or upstream text leaves the server.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // The client hung up and its transaction was abandoned: the handler's failure is expected, and nobody reads the answer.
    if (res.destroyed && !res.writableFinished) {
      this.logger.log(`request abandoned by its client: ${(exception as Error)?.message ?? 'unknown error'}`);
      return;
    }
    const error = this.toAppError(exception);
    if (error.code === ErrorCode.INTERNAL) this.logger.error(exception);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, error);
  }

  private toAppError(exception: unknown): AppError {
    if (exception instanceof AppError) return exception;
    if (isPoolTimeout(exception)) return new AppError(ErrorCode.DATABASE_BUSY);
    // A write in a tenant transaction opened read-only: the tenant is being moved (TenantTransaction).
    if (isReadOnlyTransaction(exception)) return new AppError(ErrorCode.TENANT_MOVING);
    if (isDatabaseUnavailable(exception))
      return new AppError(ErrorCode.UNHEALTHY, { components: { database: 'down' } });
    if (exception instanceof HttpException) {
      if (exception.getStatus() === 503)
        return new AppError(ErrorCode.UNHEALTHY, componentStatus(exception.getResponse()));
      const code = STATUS_CODES[exception.getStatus()];
      if (code) return new AppError(code);
    }
    // body-parser errors carry a status and a type, not an HttpException.
    const status = (exception as { status?: number } | null)?.status;
    if (status && STATUS_CODES[status] && status < 500) return new AppError(STATUS_CODES[status]);
    return new AppError(ErrorCode.INTERNAL, undefined, ERRORS.INTERNAL.message);
  }
}
