import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { importTenantArchive } from './tenant-import.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantry-import-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function zipOf(entries: Record<string, string>): Promise<string> {
  const zip = new ZipFile();
  for (const [name, body] of Object.entries(entries)) zip.addBuffer(Buffer.from(body), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const path = join(dir, `${Object.keys(entries).length}-${Math.random()}.zip`);
  await writeFile(path, Buffer.concat(chunks));
  return path;
}

// Refused before any database is touched: the connection URL points nowhere.
const options = { slug: 'target', platformUrl: 'postgres://nobody@127.0.0.1:1/none', storage: {} as never };

describe('importTenantArchive', () => {
  it('refuses a zip that is not an export', async () => {
    await expect(importTenantArchive({ ...options, archive: await zipOf({ 'notes.txt': 'hello' }) })).rejects.toThrow(
      'the archive has no manifest.json: it is not a complete export',
    );
  });

  it('refuses an export of another format or a newer version', async () => {
    const foreign = await zipOf({ 'manifest.json': JSON.stringify({ format: 'other-tool', version: 1 }) });
    await expect(importTenantArchive({ ...options, archive: foreign })).rejects.toThrow(
      /not a Tenantry export this version can read/,
    );
    const newer = await zipOf({ 'manifest.json': JSON.stringify({ format: 'tenantry-export', version: 2 }) });
    await expect(importTenantArchive({ ...options, archive: newer })).rejects.toThrow(/version 2/);
  });

  it('refuses a file that is not a zip', async () => {
    const path = join(dir, 'plain.zip');
    await writeFile(path, 'just text');
    await expect(importTenantArchive({ ...options, archive: path })).rejects.toThrow();
  });
});
