import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ErrorCode, type FieldError } from '@tenantry/contracts';
import { AppError } from './app-error.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The path of the first string holding a NUL character (PostgreSQL text cannot store one), or null. */
function nulField(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'value' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = nulField(inner, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Unknown fields are refused, known ones validated and typed; a NUL
 * character anywhere is refused before any validator (it would pass them and
 * fail in the database).
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Client input only: a custom decorator's value (the signed-in user) is ours, not theirs.
    const field = metadata.type === 'custom' ? null : nulField(value, metadata.data ?? '');
    if (field !== null) throw new AppError(ErrorCode.VALIDATION_FAILED, { fields: [{ field, messages: [`${field} must not contain NUL characters`] }] });
    return super.transform(value, metadata);
  }
}

/** The global pipe. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new AppError(ErrorCode.VALIDATION_FAILED, { fields: flatten(errors) }),
  });
}
