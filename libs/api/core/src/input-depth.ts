import { ErrorCode } from '@tenantry/contracts';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error.js';

/** Deeper than any request of ours goes, far shallower than what exhausts a recursive walk (class-transformer's, a validator's). */
export const MAX_INPUT_DEPTH = 32;

const isContainer = (value: unknown): value is object =>
  Array.isArray(value) ||
  (value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value)));

/** Whether parsed input nests arrays and objects more than `limit` levels deep, found without recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [inner, depth] = next;
    if (!isContainer(inner)) continue;
    if (depth > limit) return true;
    for (const child of Object.values(inner)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Refuses a parsed body nested deeper than MAX_INPUT_DEPTH with 400
 * VALIDATION_FAILED, right after the body parsers: nothing downstream (the
 * tenant resolver, guards, the validation pipe) ever walks such a body.
 */
export function refuseDeepInput(req: Request, _res: Response, next: NextFunction): void {
  if (!nestsDeeperThan(req.body, MAX_INPUT_DEPTH)) return next();
  next(
    new AppError(ErrorCode.VALIDATION_FAILED, {
      fields: [{ field: 'body', messages: [`the body is nested more than ${MAX_INPUT_DEPTH} levels deep`] }],
    }),
  );
}
