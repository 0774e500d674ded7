import { Body, Controller, Get, Headers, HttpCode, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { AppError, Public, RequirePermission, AvailableInMaintenance } from '@tenantry/api-core';
import { type BillingOverview, ErrorCode, type PublicPlans, type RedirectUrl } from '@tenantry/contracts';
import type { Request } from 'express';
import { BillingService } from './billing.service.js';
import { BillingPlanDto, CancelDto, CheckoutDto, SeatsDto } from './dto/billing.dto.js';
import { StripeEvents } from './stripe-events.js';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('billing')
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly events: StripeEvents,
  ) {}

  /** Settings → Billing: plan, status, seats, next invoice, recent invoices (owners and admins). */
  @Get()
  @RequirePermission('billing.read')
  overview(): Promise<BillingOverview> {
    return this.billing.overview();
  }

  /** The plans catalog for the signup wizard: limits, trial, and whether Stripe sells it here. */
  @Get('plans')
  @Public()
  plans(): Promise<PublicPlans> {
    return this.billing.publicPlans();
  }

  /** Stripe Checkout for the first subscription: the answer's `url` is where the browser goes. */
  @Post('checkout')
  @HttpCode(200)
  @RequirePermission('billing.manage')
  checkout(@Body() dto: CheckoutDto): Promise<RedirectUrl> {
    return this.billing.checkout(dto.plan, dto.seats, dto.returnTo);
  }

  /** The Stripe Customer Portal (payment methods, invoices). */
  @Post('portal')
  @HttpCode(200)
  @RequirePermission('billing.manage')
  portal(): Promise<RedirectUrl> {
    return this.billing.portal();
  }

  @Put('seats')
  @RequirePermission('billing.manage')
  seats(@Body() dto: SeatsDto): Promise<BillingOverview> {
    return this.billing.changeSeats(dto.seats);
  }

  @Put('plan')
  @RequirePermission('billing.manage')
  plan(@Body() dto: BillingPlanDto): Promise<BillingOverview> {
    return this.billing.changePlan(dto.plan);
  }

  @Put('cancellation')
  @RequirePermission('billing.manage')
  cancellation(@Body() dto: CancelDto): Promise<BillingOverview> {
    return this.billing.cancelAtPeriodEnd(dto.cancelAtPeriodEnd);
  }

  /** Stripe's webhooks (the raw body is verified against Stripe-Signature). */
  @Post('webhooks')
  @HttpCode(200)
  @Public()
  @AvailableInMaintenance()
  @ApiExcludeEndpoint()
  webhook(
    @Req() req: Request,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true; duplicate: boolean }> {
    if (!Buffer.isBuffer(req.body)) throw new AppError(ErrorCode.WEBHOOK_SIGNATURE_INVALID);
    return this.events.receive(req.body, signature);
  }
}
