import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './api-process.js';

const run = promisify(execFile);
const ROLES_SQL = fileURLToPath(new URL('../../../docker/postgres/init-roles.sql', import.meta.url));

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user. */
const asServerUser = (command: string, args: string[]) =>
  process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);

/**
 * A PostgreSQL server of the test's own — its own data directory and port,
 * with Tenantry's roles — to restart or stop without touching the machine's.
 */
export class TestPostgres {
  private bin = '';
  private dir = '';
  port = 0;

  /** `host:port`, for createTestDatabase. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(a) - Number(b));
    this.bin = `/usr/lib/postgresql/${versions.at(-1)}/bin`;
    this.dir = await mkdtemp(join(tmpdir(), 'tenantry-pg-'));
    if (process.getuid?.() === 0)
      await chown(
        this.dir,
        Number((await run('id', ['-u', 'postgres'])).stdout),
        Number((await run('id', ['-g', 'postgres'])).stdout),
      );
    this.port = await freePort();
    await asServerUser(`${this.bin}/initdb`, [
      '-D',
      join(this.dir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await this.pgCtl('start');
    await run('psql', [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-v',
      'owner_password=tenantry_owner',
      '-v',
      'app_password=tenantry_app',
      '-v',
      'platform_password=tenantry_platform',
      '-v',
      'db=tenantry',
      '-f',
      ROLES_SQL,
    ]);
    return this;
  }

  /** `fast`: a clean restart (sessions are ended); `immediate`: like a crash, recovered from the WAL. */
  async restart(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.pgCtl('restart', mode);
  }

  async stop(): Promise<void> {
    if (!this.dir) return;
    await this.pgCtl('stop', 'immediate').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
    this.dir = '';
  }

  private pgCtl(action: string, mode?: string) {
    return asServerUser(`${this.bin}/pg_ctl`, [
      action,
      '-D',
      join(this.dir, 'data'),
      '-w',
      '-l',
      join(this.dir, 'server.log'),
      ...(mode ? ['-m', mode] : []),
      '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off`,
    ]);
  }
}
