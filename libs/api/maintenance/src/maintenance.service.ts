import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AuditService } from '@tenantry/api-audit';
import { AppError, ChangeBus } from '@tenantry/api-core';
import { ErrorCode, type MaintenanceStatus, type MaintenanceWindow } from '@tenantry/contracts';
import { MaintenanceRepository, type SwitchRow, type WindowRow } from './maintenance.repository.js';
import { cronPatterns, nextStart, runningUntil } from './windows.js';
import { RealtimeService } from '@tenantry/api-realtime';

export const MAINTENANCE_QUEUE = 'maintenance';
const SCHEDULER_PREFIX = 'window:';

interface State {
  switch: SwitchRow;
  windows: WindowRow[];
}

const CACHE_MS = 5_000;
const spec = (w: WindowRow) => ({
  dayOfWeek: w.day_of_week,
  startMinute: w.start_minute,
  durationMinutes: w.duration_minutes,
  timeZone: w.time_zone,
});
const pad = (n: number) => String(n).padStart(2, '0');

function toMaintenanceWindow(w: WindowRow): MaintenanceWindow {
  return {
    id: w.id,
    dayOfWeek: w.day_of_week,
    startTime: `${pad(Math.floor(w.start_minute / 60))}:${pad(w.start_minute % 60)}`,
    durationMinutes: w.duration_minutes,
    timeZone: w.time_zone,
    message: w.message,
    createdAt: w.created_at.toISOString(),
  };
}

/**
 * Maintenance mode: the operator's switch (with a message and an optional
 * end) and weekly windows. Every request asks whether maintenance is on, so
 * the state is kept in memory for a few seconds and dropped on every
 * instance at once when it changes (and when a window starts or ends).
 */
@Injectable()
export class MaintenanceService implements OnModuleInit {
  /** The clock every check reads (the tests set a fake one). */
  clock: () => Date = () => new Date();
  private cached: { state: State; expires: number } | null = null;

  constructor(
    private readonly maintenance: MaintenanceRepository,
    private readonly audit: AuditService,
    private readonly changes: ChangeBus,
    private readonly realtime: RealtimeService,
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue,
  ) {
    this.changes.subscribe('maintenance', () => (this.cached = null));
  }

  async onModuleInit(): Promise<void> {
    await this.schedule();
  }

  async status(): Promise<MaintenanceStatus> {
    const { windows } = await this.state();
    const now = this.clock();
    const upcoming = windows
      .map((w) => {
        const startsAt = nextStart(spec(w), now);
        return {
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + w.duration_minutes * 60_000).toISOString(),
          message: w.message,
        };
      })
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return { ...(await this.current()), upcoming };
  }

  /** Whether maintenance is on now, from the switch or a running window (what every request asks). */
  private async current(): Promise<Omit<MaintenanceStatus, 'upcoming'>> {
    const { switch: manual, windows } = await this.state();
    const now = this.clock();
    if (manual.active && (!manual.ends_at || manual.ends_at > now)) {
      return { active: true, source: 'manual', message: manual.message, endsAt: manual.ends_at?.toISOString() ?? null };
    }
    for (const w of windows) {
      const endsAt = runningUntil(spec(w), now);
      if (endsAt) return { active: true, source: 'window', message: w.message, endsAt: endsAt.toISOString() };
    }
    return { active: false, source: null, message: null, endsAt: null };
  }

  /** 503 MAINTENANCE (with Retry-After: until the announced end, else 5 minutes) while maintenance is on. */
  async refuseIfActive(): Promise<void> {
    const status = await this.current();
    if (!status.active) return;
    const retryAfterSeconds = status.endsAt
      ? Math.max(1, Math.ceil((Date.parse(status.endsAt) - this.clock().getTime()) / 1000))
      : 300;
    throw new AppError(ErrorCode.MAINTENANCE, { message: status.message, endsAt: status.endsAt, retryAfterSeconds });
  }

  /** The operator's switch: on (with a message and optional end) or off. */
  async setSwitch(change: {
    active: boolean;
    message?: string | null;
    endsAt?: string | null;
  }): Promise<MaintenanceStatus> {
    await this.maintenance.setSwitch(change.active, change.message ?? null, change.endsAt ?? null);
    await this.audit.recordPlatform({
      action: change.active ? 'maintenance.started' : 'maintenance.ended',
      subject: { type: 'maintenance', id: 'switch' },
      metadata: { message: change.message ?? null, endsAt: change.endsAt ?? null },
    });
    await this.changed();
    return this.status();
  }

  /** The next run of a window: when it starts and ends, and its message. */
  async nextOccurrence(windowId: string): Promise<{ startsAt: Date; endsAt: Date; message: string | null } | null> {
    const w = (await this.state()).windows.find((x) => x.id === windowId);
    if (!w) return null;
    const startsAt = nextStart(spec(w), this.clock());
    return { startsAt, endsAt: new Date(startsAt.getTime() + w.duration_minutes * 60_000), message: w.message };
  }

  async windows(): Promise<MaintenanceWindow[]> {
    return (await this.state()).windows.map(toMaintenanceWindow);
  }

  async addWindow(w: {
    dayOfWeek: number;
    startMinute: number;
    durationMinutes: number;
    timeZone: string;
    message: string | null;
  }): Promise<MaintenanceWindow> {
    const row = await this.maintenance.insertWindow(w);
    await this.schedule();
    await this.audit.recordPlatform({
      action: 'maintenance.window_added',
      subject: { type: 'maintenance_window', id: row.id },
      metadata: { ...toMaintenanceWindow(row) },
    });
    await this.changed();
    return toMaintenanceWindow(row);
  }

  async removeWindow(id: string): Promise<void> {
    const removed = await this.maintenance.deleteWindow(id);
    if (!removed) throw new AppError(ErrorCode.MAINTENANCE_WINDOW_NOT_FOUND);
    await this.schedule();
    await this.audit.recordPlatform({
      action: 'maintenance.window_removed',
      subject: { type: 'maintenance_window', id },
      metadata: { ...toMaintenanceWindow(removed) },
    });
    await this.changed();
  }

  /**
   * One BullMQ job scheduler per window boundary (start, end, reminder a day
   * before), in the window's time zone, shared by all instances (fixed ids);
   * schedulers of removed windows go.
   */
  private async schedule(): Promise<void> {
    this.cached = null;
    const windows = (await this.state()).windows;
    const wanted = new Set<string>();
    for (const w of windows) {
      const patterns = cronPatterns(spec(w));
      for (const kind of ['start', 'end', 'reminder'] as const) {
        const id = `${SCHEDULER_PREFIX}${w.id}:${kind}`;
        wanted.add(id);
        await this.queue.upsertJobScheduler(
          id,
          { pattern: patterns[kind], tz: w.time_zone },
          { name: kind, data: { windowId: w.id } },
        );
      }
    }
    for (const s of await this.queue.getJobSchedulers()) {
      if (s.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(s.key)) await this.queue.removeJobScheduler(s.key);
    }
  }

  /** Forget the state here and on every other instance (a window started or ended, or the operator changed something). */
  async changed(): Promise<void> {
    this.cached = null;
    await this.changes.publish('maintenance');
    // Open apps learn it at once (and fetch the status), instead of at their next call.
    await this.realtime.toEveryone('maintenance.changed', { active: (await this.current()).active });
  }

  private async state(): Promise<State> {
    if (this.cached && this.cached.expires > Date.now()) return this.cached.state;
    const state = await this.maintenance.state();
    this.cached = { state, expires: Date.now() + CACHE_MS };
    return state;
  }
}
