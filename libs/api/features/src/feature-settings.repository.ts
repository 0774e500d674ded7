import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';
import type { FeatureCode } from '@tenantry/contracts';

/** A feature's kill switch and rollout, for every tenant. */
export interface FeatureSettingChange {
  killed: boolean;
  rolloutPercent: number | null;
}

/**
 * The `feature_settings` table (one row per feature that was ever set): a
 * global table, in the request's transaction when it has a tenant, otherwise
 * in one of its own (TenantDb.globalTransaction).
 */
@Injectable()
export class FeatureSettingsRepository {
  constructor(private readonly db: TenantDb) {}

  async all(): Promise<Map<FeatureCode, FeatureSettingChange>> {
    const rows: { code: FeatureCode; killed: boolean; rollout_percent: number | null }[] =
      await this.db.globalTransaction((m) => m.query('select code, killed, rollout_percent from feature_settings'));
    return new Map(rows.map((r) => [r.code, { killed: r.killed, rolloutPercent: r.rollout_percent }]));
  }

  async save(code: FeatureCode, change: FeatureSettingChange): Promise<void> {
    await this.db.globalTransaction((m) =>
      m.query(
        `insert into feature_settings (code, killed, rollout_percent) values ($1, $2, $3)
         on conflict (code) do update set killed = excluded.killed, rollout_percent = excluded.rollout_percent, updated_at = now()`,
        [code, change.killed, change.rolloutPercent],
      ),
    );
  }
}
