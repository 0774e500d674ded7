import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from './request-context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type WithId = Request & { id?: string };

/**
 * First middleware of all (before body parsing, so even a malformed body gets
 * one): accepts a sane incoming X-Request-Id or issues one, and echoes it.
 */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  (req as WithId).id = id;
  res.setHeader('X-Request-Id', id);
  next();
}

/** The id assignRequestId gave the request. */
export function requestIdOf(req: unknown): string {
  return (req as WithId).id ?? randomUUID();
}

/** Opens the request's AsyncLocalStorage context; everything after `next` runs inside it. */
export function requestContextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const userAgent = req.headers['user-agent']?.slice(0, 300);
  RequestContext.run({ requestId: requestIdOf(req), ip: req.ip, userAgent }, next);
}
