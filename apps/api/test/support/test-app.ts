import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AuthTokenResponse } from '@tenantry/contracts';
import request from 'supertest';
import { TestData, type TestMember, type TestTenant } from '@tenantry/testing/factories';
import { TestMailbox } from '@tenantry/testing/mailbox';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { createApp } from '../../src/app.js';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  db: TestDatabase;
  data: TestData;
  /** The SMTP server the app sends its mail to. */
  mailbox: TestMailbox;
  /** Logs the member in through the API (on their tenant's X-Tenant header) and returns the access token. */
  login(member: Pick<TestMember, 'email' | 'password'> & { tenant?: TestTenant }): Promise<string>;
  close(): Promise<void>;
}

/** Boots the real API on a database of its own, as the app role. */
export async function startTestApp(
  options: { rootModule?: Parameters<typeof createApp>[0]; env?: Record<string, string>; sameDataAs?: TestApp } = {},
): Promise<TestApp> {
  // A second API instance (sameDataAs) shares the first one's database and Redis keys, as replicas do.
  const db = options.sameDataAs?.db ?? (await createTestDatabase());
  const mailbox = await new TestMailbox().start();
  // The app reads its configuration once, at creation; restore the environment
  // afterwards so settings of one test file never reach the next one in this worker.
  const saved = { ...process.env };
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.appUrl,
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_PLATFORM_URL: db.platformUrl,
    JWT_SECRET: 'test-secret-test-secret-test-secret-42',
    BASE_DOMAIN: 'localhost',
    // Test files run in parallel against one Redis: each keeps its own limits and revocations.
    REDIS_KEY_PREFIX: `${db.name}:`,
    SMTP_URL: mailbox.url,
    // Uploaded files of this test file's app, dropped with its database.
    DATA_DIR: join(tmpdir(), db.name),
    ...options.env,
  });
  let app: NestExpressApplication;
  try {
    app = await createApp(options.rootModule);
    await app.init();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
  const http = request(app.getHttpServer());
  const data = new TestData(db.platformUrl);
  const tokens = new Map<string, string>();
  return {
    app,
    http,
    db,
    data,
    mailbox,
    async login(member) {
      const key = `${member.email}@${member.tenant?.id ?? ''}`;
      const cached = tokens.get(key);
      if (cached) return cached;
      const req = http.post('/api/auth/login').send({ email: member.email, password: member.password });
      if (member.tenant) req.set('X-Tenant', member.tenant.slug);
      const res = await req.expect(200);
      const token = (res.body as AuthTokenResponse).accessToken;
      tokens.set(key, token);
      return token;
    },
    async close() {
      await app.close();
      await mailbox.stop();
      await data.close();
      if (!options.sameDataAs) {
        await db.drop();
        await rm(join(tmpdir(), db.name), { recursive: true, force: true });
      }
    },
  };
}
