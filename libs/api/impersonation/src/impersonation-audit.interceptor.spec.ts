import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { AuditEntry, AuditService } from '@tenantry/api-audit';
import { AppError } from '@tenantry/api-core';
import { lastValueFrom, of, throwError } from 'rxjs';
import { ImpersonationAuditInterceptor } from './impersonation-audit.interceptor.js';

const user = { userId: 'jane', sessionId: 'imp-1', tenantId: 't-1', role: 'member', platformRole: 'none' };

function setUp(requestUser: object | undefined) {
  const recorded: { how: 'record' | 'recordFailure'; entry: AuditEntry }[] = [];
  // The audit module is another module: a fake that keeps what it is told.
  const audit = {
    record: async (entry: AuditEntry) => void recorded.push({ how: 'record', entry }),
    recordFailure: async (entry: AuditEntry) => void recorded.push({ how: 'recordFailure', entry }),
  } as unknown as AuditService;
  const context = {
    switchToHttp: () => ({ getRequest: () => ({ user: requestUser, method: 'GET', path: '/api/contacts' }) }),
  } as unknown as ExecutionContext;
  return { recorded, interceptor: new ImpersonationAuditInterceptor(audit), context };
}
const handler = (result: () => unknown): CallHandler => ({
  handle: () => result() as ReturnType<CallHandler['handle']>,
});

describe('ImpersonationAuditInterceptor', () => {
  it('records a successful request made while impersonating, naming the admin and the user', async () => {
    const { recorded, interceptor, context } = setUp({ ...user, impersonatorId: 'admin-1' });
    expect(
      await lastValueFrom(
        interceptor.intercept(
          context,
          handler(() => of('answer')),
        ),
      ),
    ).toBe('answer');
    expect(recorded).toEqual([
      {
        how: 'record',
        entry: {
          action: 'impersonation.request',
          actor: { userId: 'admin-1', label: null },
          target: { type: 'user', id: 'jane' },
          metadata: { method: 'GET', path: '/api/contacts', outcome: 'ok', impersonation: 'imp-1' },
        },
      },
    ]);
  });

  it('records a failed one on its own (the request rolls back) with the error code, and still fails', async () => {
    const { recorded, interceptor, context } = setUp({ ...user, impersonatorId: 'admin-1' });
    await expect(
      lastValueFrom(
        interceptor.intercept(
          context,
          handler(() => throwError(() => new AppError('FORBIDDEN'))),
        ),
      ),
    ).rejects.toBeInstanceOf(AppError);
    expect(recorded.map((r) => [r.how, r.entry.metadata?.outcome])).toEqual([['recordFailure', 'FORBIDDEN']]);
  });

  it('records nothing for people acting as themselves', async () => {
    const { recorded, interceptor, context } = setUp(user);
    await lastValueFrom(
      interceptor.intercept(
        context,
        handler(() => of('answer')),
      ),
    );
    expect(recorded).toEqual([]);
  });
});
