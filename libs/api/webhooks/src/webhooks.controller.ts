import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission, UuidParam } from '@tenantry/api-core';
import type { Page, WebhookDelivery, WebhookEndpoint } from '@tenantry/contracts';
import { CreateWebhookEndpointDto, ListDeliveriesQuery, UpdateWebhookEndpointDto } from './dto/webhook.dto.js';
import { WebhooksService } from './webhooks.service.js';

/** A tenant's outbound webhooks (owners and admins): endpoints, their secrets, the delivery log, resend and ping. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
@RequirePermission('webhooks.manage')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get('endpoints')
  list(): Promise<WebhookEndpoint[]> {
    return this.webhooks.list();
  }

  /** The answer holds the signing secret, once. 422 WEBHOOK_URL_FORBIDDEN for a URL that is not public https. */
  @Post('endpoints')
  create(@Body() dto: CreateWebhookEndpointDto): Promise<WebhookEndpoint> {
    return this.webhooks.create(dto);
  }

  @Patch('endpoints/:id')
  update(@UuidParam() id: string, @Body() dto: UpdateWebhookEndpointDto): Promise<WebhookEndpoint> {
    return this.webhooks.update(id, dto);
  }

  @Delete('endpoints/:id')
  @HttpCode(204)
  remove(@UuidParam() id: string): Promise<void> {
    return this.webhooks.remove(id);
  }

  @Post('endpoints/:id/secret')
  @HttpCode(200)
  rotateSecret(@UuidParam() id: string): Promise<WebhookEndpoint> {
    return this.webhooks.rotateSecret(id);
  }

  @Post('endpoints/:id/ping')
  ping(@UuidParam() id: string): Promise<WebhookDelivery> {
    return this.webhooks.ping(id);
  }

  @Get('endpoints/:id/deliveries')
  deliveries(@UuidParam() id: string, @Query() query: ListDeliveriesQuery): Promise<Page<WebhookDelivery>> {
    return this.webhooks.deliveries(id, query);
  }

  @Post('deliveries/:id/resend')
  resend(@UuidParam() id: string): Promise<WebhookDelivery> {
    return this.webhooks.resend(id);
  }
}
