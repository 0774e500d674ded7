import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequirePermission } from '@tenantry/api-core';
import { PermissionGuard } from './permission.guard.js';

class Routes {
  @RequirePermission('contacts.delete') remove() {}
  open() {}
}

function contextFor(handler: keyof Routes, role: string | null, scopes?: string[]): ExecutionContext {
  const request = scopes ? { apiKey: { scopes } } : { user: role ? { role } : undefined };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('PermissionGuard', () => {
  const guard = new PermissionGuard(new Reflector());

  it('lets the roles of the permission row through', () => {
    expect(guard.canActivate(contextFor('remove', 'admin'))).toBe(true);
    expect(guard.canActivate(contextFor('remove', 'owner'))).toBe(true);
  });

  it('refuses other roles, and callers without a tenant role, with FORBIDDEN', () => {
    expect(() => guard.canActivate(contextFor('remove', 'member'))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => guard.canActivate(contextFor('remove', null))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('leaves routes without a permission to authentication alone', () => {
    expect(guard.canActivate(contextFor('open', null))).toBe(true);
  });

  it("lets an API key through only with the route's permission among its scopes", () => {
    expect(guard.canActivate(contextFor('remove', null, ['contacts.delete']))).toBe(true);
    expect(() => guard.canActivate(contextFor('remove', null, ['contacts.read', 'contacts.write']))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('keeps API keys off routes that declare no permission (they are for people)', () => {
    expect(() => guard.canActivate(contextFor('open', null, ['contacts.read']))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });
});
