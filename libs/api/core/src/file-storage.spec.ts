import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { loadConfig } from './config.js';
import { LocalDiskStorage } from './file-storage.js';

let dir: string;
let storage: LocalDiskStorage;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantry-storage-'));
  storage = new LocalDiskStorage(new ConfigService(loadConfig({ JWT_SECRET: 'x'.repeat(32), DATA_DIR: join(dir, 'data') })));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('LocalDiskStorage', () => {
  it('stores, reads and deletes files under the data dir', async () => {
    await storage.put('tenants/abc/branding/logo.png', Buffer.from('png bytes'));
    expect((await storage.get('tenants/abc/branding/logo.png'))?.toString()).toBe('png bytes');
    expect(await readdir(join(dir, 'data/tenants/abc/branding'))).toEqual(['logo.png']);
    await storage.delete('tenants/abc/branding/logo.png');
    expect(await storage.get('tenants/abc/branding/logo.png')).toBeNull();
    await storage.delete('tenants/abc/branding/logo.png'); // already gone: fine
  });

  it('removes everything under a prefix, and only that', async () => {
    await storage.put('tenants/a/branding/1.png', Buffer.from('1'));
    await storage.put('tenants/a/exports/2.zip', Buffer.from('2'));
    await storage.put('tenants/b/branding/3.png', Buffer.from('3'));
    await storage.deleteAll('tenants/a');
    expect(await storage.get('tenants/a/branding/1.png')).toBeNull();
    expect(await storage.get('tenants/a/exports/2.zip')).toBeNull();
    expect((await storage.get('tenants/b/branding/3.png'))?.toString()).toBe('3');
    await expect(storage.deleteAll('../')).rejects.toThrow(/invalid storage key/);
    await storage.deleteAll('tenants/b');
  });

  it('refuses keys that could leave the data dir or were not made by code', async () => {
    for (const key of ['../outside', 'tenants/../../etc/passwd', '/etc/passwd', 'tenants/a/..', 'Tenants/A', 'tenants//x', 'tenants/a b', 'tenants/a\\..\\b', '']) {
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
      await expect(storage.get(key)).rejects.toThrow(/invalid storage key/);
    }
    expect(await readdir(dir)).toEqual(['data']);
  });
});
