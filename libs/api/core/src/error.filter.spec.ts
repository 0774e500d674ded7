import {
  type ArgumentsHost,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
} from '@nestjs/common';
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
    const sent = respond(
      new Error('duplicate key value violates unique constraint "users_email_key" (select * from users)'),
    );
    expect(sent).toMatchObject({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } },
    });
    expect(JSON.stringify(sent.body)).not.toContain('users');
  });

  it('turns an exhausted connection pool into 503 DATABASE_BUSY with Retry-After', () => {
    const sent = respond(new Error('timeout exceeded when trying to connect'));
    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('1');
    expect((sent.body as { error: { code: string } }).error.code).toBe('DATABASE_BUSY');
  });

  it('turns a database that went away (restart, crash, broken connection) into 503 UNHEALTHY, not INTERNAL', () => {
    const cases = [
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      {
        message: 'Query failed',
        driverError: Object.assign(new Error('terminating connection because of crash of another server process'), {
          code: '57P02',
        }),
      },
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ];
    for (const error of cases) {
      expect(respond(error)).toMatchObject({
        status: 503,
        headers: { 'Retry-After': '1' },
        body: { error: { code: 'UNHEALTHY', details: { components: { database: 'down' } } } },
      });
    }
    // A wrong query is still ours to fix: INTERNAL.
    expect(respond(Object.assign(new Error('syntax error at or near "form"'), { code: '42601' })).status).toBe(500);
  });

  it('maps framework HTTP errors to stable codes', () => {
    expect(respond(new NotFoundException('Cannot GET /api/x'))).toMatchObject({
      status: 404,
      body: { error: { code: 'ROUTE_NOT_FOUND' } },
    });
    expect(respond(new PayloadTooLargeException())).toMatchObject({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    expect(
      respond(new ServiceUnavailableException({ details: { database: { status: 'down', message: 'ECONNREFUSED' } } })),
    ).toEqual({
      status: 503,
      headers: { 'Retry-After': '1' },
      body: {
        error: {
          code: 'UNHEALTHY',
          message: 'A dependency of the service is down.',
          details: { components: { database: 'down' } },
        },
      },
    });
  });
});
