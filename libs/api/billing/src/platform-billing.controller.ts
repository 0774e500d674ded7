import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { WhileImpersonating, PlatformOnly } from '@tenantry/api-core';
import type { PlatformBilling } from '@tenantry/contracts';
import { BillingService } from './billing.service.js';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('platform/billing')
export class PlatformBillingController {
  constructor(private readonly billing: BillingService) {}

  /** MRR, subscriptions by status and failed payments across tenants. */
  @Get()
  @PlatformOnly()
  @WhileImpersonating('deny')
  summary(): Promise<PlatformBilling> {
    return this.billing.platformSummary();
  }
}
