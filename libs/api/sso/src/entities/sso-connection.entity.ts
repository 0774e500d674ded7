import type { SsoAttributeMapping, TenantRole } from '@tenantry/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A SAML identity provider of a tenant (tenant-scoped, RLS). */
@Entity('sso_connections')
export class SsoConnectionEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('boolean') enabled: boolean;
  @Column('text', { name: 'idp_entity_id' }) idpEntityId: string;
  @Column('text', { name: 'idp_sso_url' }) idpSsoUrl: string;
  @Column('text', { name: 'idp_certificates', array: true }) idpCertificates: string[];
  @Column('text', { name: 'default_role' }) defaultRole: TenantRole;
  @Column('jsonb', { name: 'attribute_mapping' }) attributeMapping: Partial<SsoAttributeMapping>;
  @Column('jsonb', { name: 'group_roles' }) groupRoles: { group: string; role: TenantRole }[];
  @Column('boolean', { name: 'allow_idp_initiated' }) allowIdpInitiated: boolean;
  @Column('text', { array: true }) domains: string[];
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'updated_at', insert: false }) updatedAt: Date;
}
