import { Module, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryModule, DiscoveryService, Reflector } from '@nestjs/core';
import {
  IMPERSONATION_RULE,
  type ImpersonationRule,
  impersonationRule,
  IS_PUBLIC,
  PLATFORM_ONLY,
  REQUIRED_FEATURE,
  REQUIRED_PERMISSION,
  AVAILABLE_IN_MAINTENANCE,
} from '@tenantry/api-core';
import { API_KEY_SCOPES, type Permission, PERMISSIONS } from '@tenantry/contracts';
import { AppModule } from '../src/app.module.js';
import { routeTable } from './support/isolation-probe.js';
import { startTestApp, type TestApp } from './support/test-app.js';

@Module({ imports: [AppModule, DiscoveryModule] })
class InspectedAppModule {}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ rootModule: InspectedAppModule });
});
afterAll(() => t.close());

/** Every endpoint with who may call it, from the controllers' own metadata. */
function permissionTable(): string[] {
  const reflector = t.app.get(Reflector);
  const rows: string[] = [];
  for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!controller) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      if (name === 'constructor') continue;
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const path = ['/api', base, String(Reflect.getMetadata(PATH_METADATA, handler))]
        .filter((p) => p && p !== '/')
        .join('/')
        .replace(/\/+/g, '/');
      const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler as () => void, controller]);
      const permission = reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, [
        handler as () => void,
        controller,
      ]);
      const keys =
        permission && (API_KEY_SCOPES as readonly string[]).includes(permission) ? '; API keys with this scope' : '';
      const platformOnly = reflector.getAllAndOverride<boolean>(PLATFORM_ONLY, [handler as () => void, controller]);
      // Every route decides what a super admin acting as someone may do there: a new route shows up here for review.
      const impersonation = impersonationRule(
        reflector.getAllAndOverride<ImpersonationRule | undefined>(IMPERSONATION_RULE, [
          handler as () => void,
          controller,
        ]),
        method,
      );
      const feature = reflector.getAllAndOverride<string | undefined>(REQUIRED_FEATURE, [
        handler as () => void,
        controller,
      ]);
      const duringMaintenance = reflector.getAllAndOverride<boolean>(AVAILABLE_IN_MAINTENANCE, [
        handler as () => void,
        controller,
      ]);
      const rule = isPublic
        ? 'public'
        : platformOnly
          ? 'platform super admins'
          : permission
            ? `${permission} (${PERMISSIONS[permission].join(', ')}${keys})`
            : 'any signed-in person (no API key)';
      rows.push(
        `${method} ${path} -> ${rule}${isPublic ? '' : `; impersonation ${impersonation === 'allow' ? 'allowed' : 'denied'}`}${feature ? `; feature ${feature}` : ''}${duringMaintenance ? '; open during maintenance' : ''}`,
      );
    }
  }
  return rows.sort();
}

describe('route permissions', () => {
  it('match the reviewed snapshot (a change here is a permission change: review it)', () => {
    expect(permissionTable()).toMatchSnapshot();
  });

  it('cover every route the app serves', () => {
    const served = routeTable(t.app)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    const declared = permissionTable().map((row) => row.split(' -> ')[0]);
    expect(declared).toEqual(served);
  });
});
