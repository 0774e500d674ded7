import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@tenantry/api-core';
import type { SsoLinkConfirmed, SsoLinkPreview } from '@tenantry/contracts';
import { SsoLinkConfirmDto } from './dto/sso-link-confirm.dto.js';
import { SsoAccountLinksService } from './sso-account-links.service.js';

/** The mailed link that lets a connection sign in an existing account (sign-in, so no `sso` feature needed). */
@ApiTags('sso')
@Controller('sso/link')
export class SsoAccountLinksController {
  constructor(private readonly links: SsoAccountLinksService) {}

  /** What the link would confirm (tenant, connection, identity provider, account), for the person to check first; the link stays unused. */
  @Public()
  @Post('preview')
  @HttpCode(200)
  preview(@Body() dto: SsoLinkConfirmDto): Promise<SsoLinkPreview> {
    return this.links.preview(dto.token);
  }

  /** Confirms the link (at the tenant's address); the answer says where to sign in now. */
  @Public()
  @Post('confirm')
  @HttpCode(200)
  confirm(@Body() dto: SsoLinkConfirmDto): Promise<SsoLinkConfirmed> {
    return this.links.confirm(dto.token);
  }
}
