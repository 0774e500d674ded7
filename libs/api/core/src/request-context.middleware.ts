import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from './request-context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a sane incoming X-Request-Id or issues one; echoed back to the caller. */
export function requestIdOf(req: Request): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Opens the request's AsyncLocalStorage context; everything after `next` runs inside it. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = (req as Request & { id?: string }).id ?? requestIdOf(req);
  res.setHeader('X-Request-Id', requestId);
  RequestContext.run({ requestId }, next);
}
