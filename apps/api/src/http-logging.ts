import { performance } from 'node:perf_hooks';
import { RequestContext } from '@tenantry/api-core';
import type { NextFunction, Request, Response } from 'express';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

/** Query parameters that are credentials: signed links (an export's download) carry their token there. */
const SECRET_QUERY_PARAMS = ['token'];
const REDACTED = '[Redacted]';

/** `url` with the values of credential query parameters replaced, so the path still shows what was asked for. */
export function withoutSecrets(url: string): string {
  const start = url.indexOf('?');
  // Most URLs name no credential: skip parsing their query.
  if (start < 0 || !SECRET_QUERY_PARAMS.some((name) => url.includes(`${name}=`, start))) return url;
  const params = new URLSearchParams(url.slice(start + 1));
  if (!SECRET_QUERY_PARAMS.some((name) => params.has(name))) return url;
  for (const name of SECRET_QUERY_PARAMS) if (params.has(name)) params.set(name, REDACTED);
  return `${url.slice(0, start)}?${params.toString().replaceAll('%5BRedacted%5D', REDACTED)}`;
}

const detailedAt = (level: string) => level === 'debug' || level === 'trace';

/**
 * The API's one logger: JSON lines on `destination`. Every line logged while a
 * request is in flight carries its `reqId`, `tenantId` and `userId`.
 */
export function createApiLogger(level: string, destination: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    mixin: () => {
      const state = RequestContext.current();
      return state ? { reqId: state.requestId, tenantId: state.tenant?.id, userId: state.userId } : {};
    },
    // Credentials never reach the logs. Headers are logged in detail only (redacting copies every line logged).
    redact: detailedAt(level)
      ? ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]']
      : [],
  };
  return pino(options, destination);
}

/**
 * One line per request, written when its response ends: method, URL (never a
 * token), route, status and time in ms, with the ids the logger adds; at
 * `debug`, the request's and response's headers too. A 5xx is logged as an
 * error, a response the client left before it was sent as a warning.
 */
export function logRequests(logger: Logger) {
  const detailed = detailedAt(logger.level);
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = performance.now();
    res.once('close', () => {
      const url = withoutSecrets(req.originalUrl);
      const line = {
        reqId: (req as Request & { id?: string }).id,
        req: detailed
          ? { method: req.method, url, headers: req.headers, remoteAddress: req.socket.remoteAddress }
          : { method: req.method, url },
        res: detailed ? { statusCode: res.statusCode, headers: res.getHeaders() } : { statusCode: res.statusCode },
        route: (req.route as { path?: string } | undefined)?.path,
        responseTime: Math.round(performance.now() - start),
      };
      if (!res.writableFinished) logger.warn(line, 'request aborted');
      else if (res.statusCode >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request completed');
    });
    next();
  };
}
