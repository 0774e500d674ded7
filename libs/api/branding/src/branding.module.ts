import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tenantry/api-audit';
import { FeaturesModule } from '@tenantry/api-features';
import { MailerModule, MailerService } from '@tenantry/api-mailer';
import { BrandingController } from './branding.controller.js';
import { BrandingService } from './branding.service.js';
import { BrandingEntity } from './entities/branding.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([BrandingEntity]), AuditModule, FeaturesModule, MailerModule],
  controllers: [BrandingController],
  providers: [BrandingService],
  exports: [BrandingService],
})
export class BrandingModule implements OnModuleInit {
  constructor(
    private readonly mailer: MailerService,
    private readonly branding: BrandingService,
  ) {}

  /** Every email sent inside a tenant wears that tenant's branding (the mailer does not know branding otherwise). */
  onModuleInit(): void {
    this.mailer.brandWith(() => this.branding.forEmail());
  }
}
