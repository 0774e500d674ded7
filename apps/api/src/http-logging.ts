import { RequestContext, requestIdOf } from '@tenantry/api-core';
import type { Params } from 'nestjs-pino';

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

/** The request logging of every API instance (pino-http through nestjs-pino). */
export function httpLogOptions(level: string): NonNullable<Params['pinoHttp']> {
  return {
    level,
    genReqId: requestIdOf,
    // tenantId/userId of the request in flight on every line logged inside it.
    mixin: () => {
      const state = RequestContext.current();
      return state ? { tenantId: state.tenant?.id, userId: state.userId } : {};
    },
    // Credentials never reach the logs: bearer tokens, API keys, cookies, and tokens in query strings.
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { url?: string; query?: Record<string, unknown> }) => {
        if (req.url) req.url = withoutSecrets(req.url);
        if (req.query && SECRET_QUERY_PARAMS.some((name) => name in req.query!)) {
          req.query = { ...req.query, ...Object.fromEntries(SECRET_QUERY_PARAMS.filter((name) => name in req.query!).map((name) => [name, REDACTED])) };
        }
        return req;
      },
    },
    quietReqLogger: true,
  };
}
