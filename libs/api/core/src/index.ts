export { AppError } from './app-error.js';
export { AppErrorFilter } from './error.filter.js';
export { type AppConfig, loadConfig } from './config.js';
export { IS_PUBLIC, Public } from './public.decorator.js';
export { RequestContext, type RequestState, type ResolvedTenant } from './request-context.js';
export { assignRequestId, requestContextMiddleware, requestIdOf } from './request-context.middleware.js';
export { createValidationPipe } from './validation.js';
export { isUniqueViolation } from './postgres-errors.js';
export { UuidParam } from './uuid-param.js';
