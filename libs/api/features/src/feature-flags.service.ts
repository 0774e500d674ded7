import { Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AppError, ChangeBus, RequestContext } from '@tenantry/api-core';
import { PlanCatalog } from '@tenantry/api-licensing';
import {
  TenancyService,
  TenantDb,
  TenantEntitlementsRepository,
  type TenantFeatureOverrides,
} from '@tenantry/api-tenancy';
import {
  ErrorCode,
  type FeatureCode,
  FEATURE_CODES,
  FEATURES,
  type FeatureMatrix,
  type FeatureOverride,
  type FeatureSetting,
  type TenantFeatures,
} from '@tenantry/contracts';
import { evaluateFeature } from './evaluate.js';
import { FeatureSettingsRepository, type FeatureSettingChange } from './feature-settings.repository.js';

type Overrides = TenantFeatureOverrides;
type Settings = Map<FeatureCode, FeatureSettingChange>;

// A safety net only: changes reach every instance through the ChangeBus at once.
const CACHE_MS = 60_000;
const MAX_TENANTS = 10_000;

/**
 * Feature flags: what each tenant may use (kill switch > tenant override >
 * plan > rollout > default; see `evaluateFeature`). Settings and overrides are
 * kept in memory and dropped on every instance when one changes (ChangeBus);
 * plan changes reach it through PlanCatalog and the tenant cache the same way.
 */
@Injectable()
export class FeatureFlags {
  private settings: { expires: number; value: Settings } | null = null;
  private readonly overrides = new Map<string, { expires: number; value: Overrides }>();

  constructor(
    private readonly db: TenantDb,
    private readonly entitlements: TenantEntitlementsRepository,
    private readonly featureSettings: FeatureSettingsRepository,
    private readonly catalog: PlanCatalog,
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
    private readonly changes: ChangeBus,
  ) {
    this.changes.subscribe('features', (change) => {
      if (typeof change.tenantId === 'string') this.overrides.delete(change.tenantId);
      else this.settings = null;
    });
  }

  /** Every feature of a tenant, with what decided it. */
  async forTenant(tenant: { id: string; plan?: string }): Promise<TenantFeatures> {
    const [settings, overrides, plan] = await Promise.all([
      this.loadSettings(),
      this.loadOverrides(tenant.id),
      this.catalog.find(tenant.plan),
    ]);
    const planFeatures = plan?.features ?? [];
    return Object.fromEntries(
      FEATURE_CODES.map((code) => [
        code,
        evaluateFeature(code, {
          tenantId: tenant.id,
          planFeatures,
          setting: settings.get(code),
          override: overrides[code],
        }),
      ]),
    ) as TenantFeatures;
  }

  /** Whether the resolved tenant has `code`. */
  async isEnabled(code: FeatureCode): Promise<boolean> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) throw new AppError(ErrorCode.TENANT_REQUIRED);
    return (await this.forTenant(tenant))[code].enabled;
  }

  /** 403 FEATURE_DISABLED (with the feature) unless the resolved tenant has it. */
  async assertEnabled(code: FeatureCode): Promise<void> {
    if (!(await this.isEnabled(code))) throw new AppError(ErrorCode.FEATURE_DISABLED, { feature: code });
  }

  /** How many of `tenants` have each feature (the console's adoption chart); one evaluation per tenant and feature, no queries per tenant. */
  async adoption(tenants: { id: string; plan: string; overrides: Overrides }[]): Promise<Record<FeatureCode, number>> {
    const [settings, plans] = await Promise.all([this.loadSettings(), this.catalog.all()]);
    const planFeatures = new Map(plans.map((p) => [p.code, p.features]));
    const counts = Object.fromEntries(FEATURE_CODES.map((code) => [code, 0])) as Record<FeatureCode, number>;
    for (const tenant of tenants) {
      for (const code of FEATURE_CODES) {
        const inputs = {
          tenantId: tenant.id,
          planFeatures: planFeatures.get(tenant.plan) ?? [],
          setting: settings.get(code),
          override: tenant.overrides[code],
        };
        if (evaluateFeature(code, inputs).enabled) counts[code]++;
      }
    }
    return counts;
  }

  /** The console's features × tenants view (tenants found by name or address, at most 50). */
  async matrix(q: string | undefined): Promise<FeatureMatrix> {
    const settings = await this.loadSettings();
    const found = await this.tenancy.search(q);
    const rows = await this.entitlements.featureOverrides(found.map((t) => t.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return {
      features: FEATURE_CODES.map((code) => this.toSetting(code, settings)),
      tenants: await Promise.all(
        found.map(async (t) => {
          const row = byId.get(t.id)!;
          return {
            tenant: { id: t.id, slug: t.slug, name: t.name },
            plan: row.plan,
            features: await this.forTenant({ id: t.id, plan: row.plan }),
            overrides: row.overrides,
          };
        }),
      ),
    };
  }

  /** A feature's kill switch and rollout, for every tenant (the platform's audit log keeps who changed it). */
  async setSetting(
    code: FeatureCode,
    change: { killed: boolean; rolloutPercent: number | null },
  ): Promise<FeatureSetting> {
    await this.featureSettings.save(code, change);
    await this.audit.recordPlatform({
      action: 'feature.setting_changed',
      subject: { type: 'feature', id: code },
      metadata: change,
    });
    this.settings = null;
    await this.changes.publish('features', {});
    return this.toSetting(code, await this.loadSettings());
  }

  /** Turns a feature on or off for one tenant (with its configuration), or back to what the plan and settings say (`null`); in the tenant's audit log. */
  async setOverride(tenantId: string, code: FeatureCode, override: FeatureOverride | null): Promise<TenantFeatures> {
    const tenant = await this.tenancy.byId(tenantId);
    if (!tenant) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    await this.db.withTenant(tenant, async () => {
      const before = await this.entitlements.featureOverride(code);
      await this.entitlements.setFeatureOverride(code, override);
      await this.audit.record({
        action: 'feature.override_changed',
        target: { type: 'feature', id: code, label: FEATURES[code].description },
        metadata: { from: before, to: override },
      });
    });
    this.overrides.delete(tenantId);
    await this.changes.publish('features', { tenantId });
    const plan = await this.entitlements.planOf(tenantId);
    if (plan === null) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    return this.forTenant({ id: tenantId, plan });
  }

  private toSetting(code: FeatureCode, settings: Settings): FeatureSetting {
    const setting = settings.get(code);
    return {
      code,
      description: FEATURES[code].description,
      default: FEATURES[code].default,
      killed: setting?.killed ?? false,
      rolloutPercent: setting?.rolloutPercent ?? null,
    };
  }

  private async loadSettings(): Promise<Settings> {
    if (this.settings && this.settings.expires > Date.now()) return this.settings.value;
    const value: Settings = await this.featureSettings.all();
    this.settings = { expires: Date.now() + CACHE_MS, value };
    return value;
  }

  private async loadOverrides(tenantId: string): Promise<Overrides> {
    const cached = this.overrides.get(tenantId);
    if (cached && cached.expires > Date.now()) return cached.value;
    const value = (await this.entitlements.featureOverridesOf(tenantId)) ?? {};
    if (this.overrides.size >= MAX_TENANTS) this.overrides.delete(this.overrides.keys().next().value as string);
    this.overrides.set(tenantId, { expires: Date.now() + CACHE_MS, value });
    return value;
  }
}
