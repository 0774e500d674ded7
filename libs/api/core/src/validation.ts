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

/** The path of the first string holding a NUL character (PostgreSQL text cannot store one), or null; found without recursion. */
function nulField(value: unknown, root: string): string | null {
  const pending: [unknown, string][] = [[value, root]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [inner, path] = next;
    if (typeof inner === 'string' && inner.includes('\u0000')) return path || 'value';
    if (inner === null || typeof inner !== 'object') continue;
    // Pushed last first, so the first field is looked at first.
    for (const [key, child] of Object.entries(inner).reverse()) pending.push([child, path ? `${path}.${key}` : key]);
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
    if (field !== null)
      throw new AppError(ErrorCode.VALIDATION_FAILED, {
        fields: [{ field, messages: [`${field} must not contain NUL characters`] }],
      });
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
