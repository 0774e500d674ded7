import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tenant's branding (tenant-scoped, RLS); one row at most, none for the defaults. */
@Entity('branding')
export class BrandingEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'display_name', nullable: true }) displayName: string | null;
  @Column('text', { name: 'primary_color', nullable: true }) primaryColor: string | null;
  @Column('text', { name: 'secondary_color', nullable: true }) secondaryColor: string | null;
  @Column('text', { name: 'welcome_message', nullable: true }) welcomeMessage: string | null;
  @Column('text', { name: 'footer_text', nullable: true }) footerText: string | null;
  @Column('text', { name: 'email_from_name', nullable: true }) emailFromName: string | null;
  @Column('text', { name: 'email_color', nullable: true }) emailColor: string | null;
  /** Stored file names (`<sha256>.<ext>`) of the uploaded images. */
  @Column('text', { nullable: true }) logo: string | null;
  @Column('text', { nullable: true }) favicon: string | null;
  @Column('text', { nullable: true }) background: string | null;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
