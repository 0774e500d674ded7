import type { ErrorBody } from '@tenantry/contracts';

/** The `error` of an API answer's body (parsed here when the request asked for raw bytes, as downloads do). */
export const errorOf = (res: { body: unknown }) =>
  (Buffer.isBuffer(res.body) ? (JSON.parse(res.body.toString('utf8')) as ErrorBody) : (res.body as ErrorBody)).error;

/** The stable error code of an API answer (undefined when it is no error). */
export const codeOf = (res: { body: unknown }) => errorOf(res)?.code;
