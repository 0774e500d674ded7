import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { loadConfig } from './config.js';
import { LocalDiskStorage } from './file-storage.js';

let dir: string;
let storage: LocalDiskStorage;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantry-storage-'));
  storage = new LocalDiskStorage(
    new ConfigService(loadConfig({ JWT_SECRET: 'x'.repeat(32), DATA_DIR: join(dir, 'data') })),
  );
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
    for (const key of [
      '../outside',
      'tenants/../../etc/passwd',
      '/etc/passwd',
      'tenants/a/..',
      'Tenants/A',
      'tenants//x',
      'tenants/a b',
      'tenants/a\\..\\b',
      '',
    ]) {
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
      await expect(storage.get(key)).rejects.toThrow(/invalid storage key/);
    }
    expect(await readdir(dir)).toEqual(['data']);
  });

  it('writes from a stream, reads as a stream with its size, and lists a prefix', async () => {
    expect(await storage.putStream('tenants/s/exports/e.zip', Readable.from(['chunk 1, ', 'chunk 2']))).toBe(16);
    const file = await storage.getStream('tenants/s/exports/e.zip');
    expect(file?.size).toBe(16);
    expect(await text(file!.stream)).toBe('chunk 1, chunk 2');
    await storage.put('tenants/s/branding/logo.png', Buffer.from('x'));
    expect(await storage.list('tenants/s')).toEqual(['tenants/s/branding/logo.png', 'tenants/s/exports/e.zip']);
    expect(await storage.list('tenants/nobody')).toEqual([]);
    expect(await storage.getStream('tenants/s/none.zip')).toBeNull();
  });

  it('leaves nothing behind when a streamed write fails half-way', async () => {
    const failing = new Readable({
      read() {
        this.push('partial');
        this.destroy(new Error('source broke'));
      },
    });
    await expect(storage.putStream('tenants/f/exports/broken.zip', failing)).rejects.toThrow('source broke');
    expect(await readdir(join(dir, 'data/tenants/f/exports'))).toEqual([]);
  });
});
