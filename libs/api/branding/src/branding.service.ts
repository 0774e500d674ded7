import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AppError, FileStorage, RequestContext, type ResolvedTenant } from '@tenantry/api-core';
import { FeatureFlags } from '@tenantry/api-features';
import type { MailBrand } from '@tenantry/api-mailer';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import {
  BRANDING_ASSETS,
  type BrandingAsset,
  type BrandingResponse,
  type BrandingSettings,
  DEFAULT_PRIMARY_COLOR,
  DEFAULT_SECONDARY_COLOR,
  ErrorCode,
  textColorOn,
} from '@tenantry/contracts';
import { checkImage, contentTypeOf, type ImageExtension } from './image-check.js';
import type { UpdateBrandingDto } from './dto/update-branding.dto.js';
import { BrandingEntity } from './entities/branding.entity.js';

const PLATFORM_NAME = 'Tenantry';
/** Stored image names: content hash + extension (so URLs never go stale and can be cached for good). */
const ASSET_FILE = /^[0-9a-f]{64}\.(png|jpg|webp)$/;
const TEXT_FIELDS = [
  'displayName',
  'primaryColor',
  'secondaryColor',
  'welcomeMessage',
  'footerText',
  'emailFromName',
  'emailColor',
] as const;

const keyOf = (tenantId: string, file: string) => `tenants/${tenantId}/branding/${file}`;

/**
 * White-label branding: colors, names, texts and images per tenant, shown
 * to everyone on the tenant's hosts while its plan includes `custom_branding`.
 * Images are checked by content and kept in the file storage under their hash.
 */
@Injectable()
export class BrandingService {
  constructor(
    private readonly db: TenantDb,
    private readonly storage: FileStorage,
    private readonly audit: AuditService,
    private readonly features: FeatureFlags,
    private readonly tenancy: TenancyService,
  ) {}

  /** The branding of the resolved tenant (defaults under its name without the feature), or the platform's. */
  async current(): Promise<BrandingResponse> {
    const tenant = RequestContext.current()?.tenant ?? null;
    return this.compose(tenant, tenant ? await this.shownRow() : null);
  }

  async settings(): Promise<BrandingSettings> {
    return this.toSettings(await this.row());
  }

  /** Changes the fields present in `change` (null: back to the default). */
  async update(change: UpdateBrandingDto): Promise<BrandingSettings> {
    const fields = TEXT_FIELDS.filter((f) => change[f] !== undefined);
    const values = Object.fromEntries(fields.map((f) => [f, change[f] ?? null]));
    await this.save(values);
    await this.audit.record({
      action: 'branding.updated',
      target: { type: 'branding', id: null },
      metadata: { fields },
    });
    return this.settings();
  }

  /** Refuses what setImage would refuse (IMAGE_INVALID), storing nothing: for an image stored later (a signup's logo). */
  assertImage(upload: Buffer): void {
    checkImage(upload);
  }

  /** Replaces an image with an upload, checked by its content. */
  async setImage(kind: BrandingAsset, upload: Buffer | undefined): Promise<BrandingSettings> {
    if (!upload?.length)
      throw new AppError(ErrorCode.IMAGE_INVALID, { reason: 'no file (send it as the multipart field "file")' });
    const { ext } = checkImage(upload);
    const file = `${createHash('sha256').update(upload).digest('hex')}.${ext}`;
    // Written before the row points at it: a failed request leaves at most an unused file, never a broken image.
    await this.storage.put(keyOf(this.db.tenantId, file), upload);
    await this.replaceImage(kind, file);
    return this.settings();
  }

  async removeImage(kind: BrandingAsset): Promise<BrandingSettings> {
    await this.replaceImage(kind, null);
    return this.settings();
  }

  /** Everything back to the platform's defaults; the images are deleted. */
  async reset(): Promise<void> {
    const row = await this.row();
    if (!row) return;
    await (await this.db.repository(BrandingEntity)).delete({ tenantId: this.db.tenantId });
    for (const file of new Set([row.logo, row.favicon, row.background]))
      if (file) await this.storage.delete(keyOf(this.db.tenantId, file));
    await this.audit.record({ action: 'branding.reset', target: { type: 'branding', id: null } });
  }

  /** A stored image, for anyone (logos show on sign-in pages and in emails); the name is checked before any look-up. */
  async asset(tenantId: string, file: string): Promise<{ body: Buffer; contentType: string }> {
    const body = ASSET_FILE.test(file) ? await this.storage.get(keyOf(tenantId, file)) : null;
    if (!body) throw new AppError(ErrorCode.ASSET_NOT_FOUND);
    return { body, contentType: contentTypeOf(file.split('.')[1] as ImageExtension) };
  }

  /** The resolved tenant's email branding; null outside a tenant. */
  async forEmail(): Promise<MailBrand | null> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant?.slug) return null;
    const row = await this.shownRow();
    const name = row?.displayName ?? tenant.name;
    return {
      name,
      fromName: row?.emailFromName ?? `${name} via ${PLATFORM_NAME}`,
      color: row?.emailColor ?? row?.primaryColor ?? DEFAULT_PRIMARY_COLOR,
      logoUrl: row?.logo ? this.tenancy.urlOf(tenant.slug, `/api/branding/assets/${tenant.id}/${row.logo}`) : null,
    };
  }

  private async replaceImage(kind: BrandingAsset, file: string | null): Promise<void> {
    const before = await this.row();
    const old = before?.[kind] ?? null;
    if (old === file) return;
    await this.save({ [kind]: file });
    // The old file goes unless another image of the tenant is the same picture (same hash).
    const others = BRANDING_ASSETS.filter((k) => k !== kind).map((k) => before?.[k]);
    if (old && !others.includes(old)) await this.storage.delete(keyOf(this.db.tenantId, old));
    await this.audit.record({
      action: 'branding.updated',
      target: { type: 'branding', id: null },
      metadata: { fields: [kind] },
    });
  }

  private async save(values: Partial<BrandingEntity>): Promise<void> {
    const repo = await this.db.repository(BrandingEntity);
    await repo.upsert(
      { tenantId: this.db.tenantId, ...values, updatedAt: new Date() },
      { conflictPaths: ['tenantId'] },
    );
  }

  /** The resolved tenant's settings while its plan includes custom branding; otherwise none (the defaults show). */
  private async shownRow(): Promise<BrandingEntity | null> {
    return (await this.features.isEnabled('custom_branding')) ? this.row() : null;
  }

  private async row(): Promise<BrandingEntity | null> {
    return (await this.db.repository(BrandingEntity)).findOneBy({ tenantId: this.db.tenantId });
  }

  private assetUrl(tenantId: string, file: string | null): string | null {
    return file ? `/api/branding/assets/${tenantId}/${file}` : null;
  }

  private compose(tenant: ResolvedTenant | null, row: BrandingEntity | null): BrandingResponse {
    const primaryColor = row?.primaryColor ?? DEFAULT_PRIMARY_COLOR;
    const secondaryColor = row?.secondaryColor ?? DEFAULT_SECONDARY_COLOR;
    const url = (file: string | null | undefined) => (tenant ? this.assetUrl(tenant.id, file ?? null) : null);
    const backgroundUrl = url(row?.background);
    return {
      tenant: tenant ? { id: tenant.id, slug: tenant.slug, name: tenant.name } : null,
      name: row?.displayName ?? tenant?.name ?? PLATFORM_NAME,
      primaryColor,
      onPrimaryColor: textColorOn(primaryColor),
      secondaryColor,
      onSecondaryColor: textColorOn(secondaryColor),
      logoUrl: url(row?.logo),
      faviconUrl: url(row?.favicon),
      backgroundUrl,
      welcomeMessage: row?.welcomeMessage ?? null,
      footerText: row?.footerText ?? null,
      cssVariables: {
        '--brand-primary': primaryColor,
        '--brand-on-primary': textColorOn(primaryColor),
        '--brand-secondary': secondaryColor,
        '--brand-on-secondary': textColorOn(secondaryColor),
        ...(backgroundUrl ? { '--brand-login-background': `url("${backgroundUrl}")` } : {}),
      },
    };
  }

  private toSettings(row: BrandingEntity | null): BrandingSettings {
    const tenantId = this.db.tenantId;
    return {
      displayName: row?.displayName ?? null,
      primaryColor: row?.primaryColor ?? null,
      secondaryColor: row?.secondaryColor ?? null,
      welcomeMessage: row?.welcomeMessage ?? null,
      footerText: row?.footerText ?? null,
      emailFromName: row?.emailFromName ?? null,
      emailColor: row?.emailColor ?? null,
      logoUrl: this.assetUrl(tenantId, row?.logo ?? null),
      faviconUrl: this.assetUrl(tenantId, row?.favicon ?? null),
      backgroundUrl: this.assetUrl(tenantId, row?.background ?? null),
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }
}
