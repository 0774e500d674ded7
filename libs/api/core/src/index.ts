export { AppError } from './app-error.js';
export { AppErrorFilter, sendError } from './error.filter.js';
export { type AppConfig, loadConfig } from './config.js';
export { AVAILABLE_IN_MAINTENANCE, AvailableInMaintenance, IS_PUBLIC, Public } from './public.decorator.js';
export { RequestContext, type RequestState, type ResolvedTenant } from './request-context.js';
export { assignRequestId, requestContextMiddleware, requestIdOf } from './request-context.middleware.js';
export { createValidationPipe } from './validation.js';
export { MAX_INPUT_DEPTH, refuseDeepInput } from './input-depth.js';
export { IsEmailAddress, normalizeEmail, tryNormalizeEmail } from './email-address.js';
export { isUniqueViolation } from './postgres-errors.js';
export { UuidParam } from './uuid-param.js';
export { REDIS, RedisModule, redisConnectionOptions } from './redis.module.js';
export {
  IMPERSONATION_RULE,
  type ImpersonationRule,
  impersonationRule,
  WhileImpersonating,
  PLATFORM_ONLY,
  PlatformOnly,
  REQUIRED_FEATURE,
  REQUIRED_PERMISSION,
  RequireFeature,
  RequirePermission,
} from './permission.decorator.js';
export { decodeCursor, decodeTimeCursor, encodeCursor, type KeysetPosition } from './keyset-cursor.js';
export { type ApiKeyCaller, type AuthenticatedRequest, type AuthUser, CurrentUser } from './current-user.js';
export { apiKeyOf, newApiKey, tenantOfApiKey } from './api-key-format.js';
export { hashToken } from './token-hash.js';
export { containsPattern } from './like-pattern.js';
export { ChangeBus } from './change-bus.js';
export { FileStorage, FileStorageModule, LocalDiskStorage } from './file-storage.js';
export { assertQueueReachable } from './job-queue.js';
export { ExpiringCache } from './expiring-cache.js';
export { SecretBox } from './secret-box.js';
export { addressKey, rateLimited } from './rate-limited.js';
