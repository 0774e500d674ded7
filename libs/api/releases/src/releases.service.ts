import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import type { ApiInstance, Releases } from '@tenantry/contracts';

const HEARTBEAT_MS = 30_000;
// Three missed heartbeats: the instance is gone (killed, or its host is).
const RUNNING = `stopped_at is null and last_seen_at > now() - interval '90 seconds'`;
const KEEP_DAYS = 90;

interface InstanceRow {
  id: string;
  version: string;
  hostname: string;
  pid: number;
  started_at: Date;
  last_seen_at: Date;
  stopped_at: Date | null;
  running: boolean;
}

const toInstance = (r: InstanceRow): ApiInstance => ({
  id: r.id,
  version: r.version,
  hostname: r.hostname,
  pid: r.pid,
  startedAt: r.started_at.toISOString(),
  lastSeenAt: r.last_seen_at.toISOString(),
  stoppedAt: r.stopped_at?.toISOString() ?? null,
  running: r.running,
});

/**
 * Each API instance records itself (version, host, start) when it starts,
 * beats a heartbeat every 30 s and marks its clean stop; the console reads
 * which versions run now and which ran before (a blue-green deploy shows both
 * colors until the old one stops).
 */
@Injectable()
export class ReleasesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReleasesService.name);
  private readonly id = randomUUID();
  private readonly version: string;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly db: TenantDb,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.version = config.get('release', { infer: true }).version;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.db.globalTransaction(async (m) => {
      await m.query('insert into api_instances (id, version, hostname, pid) values ($1, $2, $3, $4)', [
        this.id,
        this.version,
        hostname(),
        process.pid,
      ]);
      await m.query(`delete from api_instances where last_seen_at < now() - interval '${KEEP_DAYS} days'`);
    });
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.db
      .globalTransaction((m) =>
        m.query('update api_instances set stopped_at = now(), last_seen_at = now() where id = $1', [this.id]),
      )
      .catch((error: Error) => this.logger.warn(`stop not recorded: ${error.message}`));
  }

  async releases(): Promise<Releases> {
    return this.db.globalTransaction(async (m) => {
      const columns = `id, version, hostname, pid, started_at, last_seen_at, stopped_at, (${RUNNING}) as running`;
      const running: InstanceRow[] = await m.query(
        `select ${columns} from api_instances where ${RUNNING} order by started_at`,
      );
      const recent: InstanceRow[] = await m.query(
        `select ${columns} from api_instances order by started_at desc limit 50`,
      );
      const versions: { version: string; first: Date; last: Date; instances: number; running: number }[] =
        await m.query(
          `select version, min(started_at) as first, max(last_seen_at) as last, count(*)::int as instances, count(*) filter (where ${RUNNING})::int as running
           from api_instances group by version order by min(started_at) desc limit 50`,
        );
      return {
        running: running.map(toInstance),
        versions: versions.map((v) => ({
          version: v.version,
          firstStartedAt: v.first.toISOString(),
          lastSeenAt: v.last.toISOString(),
          instances: v.instances,
          running: v.running,
        })),
        recent: recent.map(toInstance),
      };
    });
  }

  private async beat(): Promise<void> {
    await this.db
      .globalTransaction((m) => m.query('update api_instances set last_seen_at = now() where id = $1', [this.id]))
      .catch((error: Error) => this.logger.warn(`heartbeat not recorded: ${error.message}`));
  }
}
