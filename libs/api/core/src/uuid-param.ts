import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ErrorCode } from '@tenantry/contracts';
import { AppError } from './app-error.js';

/** A route parameter that must be a UUID; anything else is a 400 VALIDATION_FAILED naming the field. */
export const UuidParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new AppError(ErrorCode.VALIDATION_FAILED, { fields: [{ field: name, messages: [`${name} must be a UUID`] }] }),
    }),
  );
