import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tenantry/api-audit';
import { SsoConnectionEntity } from './entities/sso-connection.entity.js';
import { SsoController } from './sso.controller.js';
import { SsoService } from './sso.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([SsoConnectionEntity]), AuditModule],
  controllers: [SsoController],
  providers: [SsoService],
  exports: [SsoService],
})
export class SsoModule {}
