import { type ArgumentsHost, NotFoundException, PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import { ErrorCode } from '@tenantry/contracts';
import { AppError } from './app-error.js';
import { AppErrorFilter } from './error.filter.js';

function respond(exception: unknown) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const res = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  const filter = new AppErrorFilter();
  (filter as unknown as { logger: { error: () => void } }).logger = { error: () => undefined };
  filter.catch(exception, host);
  return sent;
}

describe('AppErrorFilter', () => {
  it('answers an AppError with its status, code, message and details', () => {
    expect(respond(new AppError(ErrorCode.CONTACT_NOT_FOUND, { id: 'x' }))).toMatchObject({
      status: 404,
      body: { error: { code: 'CONTACT_NOT_FOUND', message: 'No such contact.', details: { id: 'x' } } },
    });
  });

  it('hides the text of unexpected errors, such as SQL, behind INTERNAL', () => {
    const sent = respond(new Error('duplicate key value violates unique constraint "users_email_key" (select * from users)'));
    expect(sent).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } } });
    expect(JSON.stringify(sent.body)).not.toContain('users');
  });

  it('turns an exhausted connection pool into 503 DATABASE_BUSY with Retry-After', () => {
    const sent = respond(new Error('timeout exceeded when trying to connect'));
    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('1');
    expect((sent.body as { error: { code: string } }).error.code).toBe('DATABASE_BUSY');
  });

  it('maps framework HTTP errors to stable codes', () => {
    expect(respond(new NotFoundException('Cannot GET /api/x'))).toMatchObject({ status: 404, body: { error: { code: 'ROUTE_NOT_FOUND' } } });
    expect(respond(new PayloadTooLargeException())).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(respond(new ServiceUnavailableException({ details: { database: { status: 'down', message: 'ECONNREFUSED' } } }))).toEqual({
      status: 503,
      headers: {},
      body: { error: { code: 'UNHEALTHY', message: 'A dependency of the service is down.', details: { components: { database: 'down' } } } },
    });
  });
});
