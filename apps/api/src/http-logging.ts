import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext, requestIdOf } from '@tenantry/api-core';
import type { Options } from 'pino-http';

/** Query parameters that are credentials: signed links (an export's download) carry their token there. */
const SECRET_QUERY_PARAMS = ['token'];
const REDACTED = '[Redacted]';

/** `url` with the values of credential query parameters replaced, so the path still shows what was asked for. */
export function withoutSecrets(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const params = new URLSearchParams(url.slice(start + 1));
  if (!SECRET_QUERY_PARAMS.some((name) => params.has(name))) return url;
  for (const name of SECRET_QUERY_PARAMS) if (params.has(name)) params.set(name, REDACTED);
  return `${url.slice(0, start)}?${params.toString().replaceAll('%5BRedacted%5D', REDACTED)}`;
}

/** The route pattern that answered (`/api/contacts/:id`), once routing has run. */
const routeOf = (req: IncomingMessage): string | undefined =>
  (req as IncomingMessage & { route?: { path?: string } }).route?.path;

/**
 * The request logging of every API instance (pino-http through nestjs-pino).
 * At `info` and above, one compact line per request: method, URL, route,
 * status, time, and the request, tenant and user ids. At `debug` and below,
 * the request's and response's headers too (credentials redacted).
 */
export function httpLogOptions(level: string): Options {
  const detailed = level === 'debug' || level === 'trace';
  return {
    level,
    genReqId: requestIdOf,
    // tenantId/userId of the request in flight on every line logged inside it.
    mixin: () => {
      const state = RequestContext.current();
      return state ? { tenantId: state.tenant?.id, userId: state.userId } : {};
    },
    // Credentials never reach the logs: bearer tokens, API keys, cookies, and tokens in query strings.
    // Headers are logged in detail only (redacting copies every line logged, so the compact form skips it).
    redact: detailed
      ? ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]']
      : [],
    // Our serializers get the raw request and response, so the compact form reads two fields instead of copying every header.
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { query?: Record<string, unknown> }) => {
        const url = withoutSecrets(req.url ?? '');
        if (!detailed) return { method: req.method, url };
        return { method: req.method, url, headers: req.headers, remoteAddress: req.socket?.remoteAddress };
      },
      res: (res: ServerResponse) =>
        detailed ? { statusCode: res.statusCode, headers: res.getHeaders() } : { statusCode: res.statusCode },
    },
    customSuccessObject: (req, _res, value: Record<string, unknown>) => ({ ...value, route: routeOf(req) }),
    customErrorObject: (req, _res, _error, value: Record<string, unknown>) => ({ ...value, route: routeOf(req) }),
    quietReqLogger: true,
  };
}
