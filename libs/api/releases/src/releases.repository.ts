import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';
import type { ApiInstance, Releases } from '@tenantry/contracts';

// Three missed heartbeats (30 s each): the instance is gone (killed, or its host is).
const RUNNING = `stopped_at is null and last_seen_at > now() - interval '90 seconds'`;
const KEEP_DAYS = 90;
const COLUMNS = `id, version, hostname, pid, started_at, last_seen_at, stopped_at, (${RUNNING}) as running`;

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

/** The `api_instances` table: one row per API instance that ever started, kept for KEEP_DAYS after it was last seen. */
@Injectable()
export class ReleasesRepository {
  constructor(private readonly db: TenantDb) {}

  /** An instance that started; instances not seen for KEEP_DAYS are dropped on the way. */
  async started(instance: Pick<ApiInstance, 'id' | 'version' | 'hostname' | 'pid'>): Promise<void> {
    await this.db.globalTransaction(async (m) => {
      await m.query('insert into api_instances (id, version, hostname, pid) values ($1, $2, $3, $4)', [
        instance.id,
        instance.version,
        instance.hostname,
        instance.pid,
      ]);
      await m.query(`delete from api_instances where last_seen_at < now() - interval '${KEEP_DAYS} days'`);
    });
  }

  async seen(id: string): Promise<void> {
    await this.db.globalTransaction((m) =>
      m.query('update api_instances set last_seen_at = now() where id = $1', [id]),
    );
  }

  async stopped(id: string): Promise<void> {
    await this.db.globalTransaction((m) =>
      m.query('update api_instances set stopped_at = now(), last_seen_at = now() where id = $1', [id]),
    );
  }

  /** What runs now, each version's span (newest first), and the 50 latest instances. */
  async releases(): Promise<Releases> {
    return this.db.globalTransaction(async (m) => {
      const running: InstanceRow[] = await m.query(
        `select ${COLUMNS} from api_instances where ${RUNNING} order by started_at`,
      );
      const recent: InstanceRow[] = await m.query(
        `select ${COLUMNS} from api_instances order by started_at desc limit 50`,
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
}
