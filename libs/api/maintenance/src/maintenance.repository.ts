import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';

export interface SwitchRow {
  active: boolean;
  message: string | null;
  ends_at: Date | null;
}
export interface WindowRow {
  id: string;
  day_of_week: number;
  start_minute: number;
  duration_minutes: number;
  time_zone: string;
  message: string | null;
  created_at: Date;
}

/**
 * The maintenance switch (one row) and the weekly windows: global tables, in
 * the request's tenant transaction when there is one, otherwise in one of
 * their own (TenantDb.globalTransaction).
 */
@Injectable()
export class MaintenanceRepository {
  constructor(private readonly db: TenantDb) {}

  /** The switch and every window (by weekday, start, id), read in one transaction. */
  async state(): Promise<{ switch: SwitchRow; windows: WindowRow[] }> {
    return this.db.globalTransaction(async (m) => {
      const [manual]: SwitchRow[] = await m.query('select active, message, ends_at from maintenance_switch');
      const windows: WindowRow[] = await m.query(
        'select * from maintenance_windows order by day_of_week, start_minute, id',
      );
      return { switch: manual, windows };
    });
  }

  async setSwitch(active: boolean, message: string | null, endsAt: string | null): Promise<void> {
    await this.db.globalTransaction((m) =>
      m.query('update maintenance_switch set active = $1, message = $2, ends_at = $3, updated_at = now()', [
        active,
        message,
        endsAt,
      ]),
    );
  }

  async insertWindow(w: {
    dayOfWeek: number;
    startMinute: number;
    durationMinutes: number;
    timeZone: string;
    message: string | null;
  }): Promise<WindowRow> {
    const [row]: WindowRow[] = await this.db.globalTransaction((m) =>
      m.query(
        'insert into maintenance_windows (day_of_week, start_minute, duration_minutes, time_zone, message) values ($1, $2, $3, $4, $5) returning *',
        [w.dayOfWeek, w.startMinute, w.durationMinutes, w.timeZone, w.message],
      ),
    );
    return row;
  }

  /** The removed window, or null when there was none with this id. */
  async deleteWindow(id: string): Promise<WindowRow | null> {
    const [rows]: [WindowRow[], number] = await this.db.globalTransaction((m) =>
      m.query('delete from maintenance_windows where id = $1 returning *', [id]),
    );
    return rows[0] ?? null;
  }
}
