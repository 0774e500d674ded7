import { Body, Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Public, RequirePermission, UuidParam, type AuthUser, CurrentUser } from '@tenantry/api-core';
import type { AuthTokenResponse, Invitation, InvitationPreview } from '@tenantry/contracts';
import type { Response } from 'express';
import { AcceptInvitationDto, InvitationTokenDto } from './dto/invitation-token.dto.js';
import { InviteDto } from './dto/invite.dto.js';
import { InvitationsService } from './invitations.service.js';
import { RefreshCookie } from './refresh-cookie.js';

@ApiTags('invitations')
@Controller('invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly cookie: RefreshCookie,
  ) {}

  @ApiBearerAuth()
  @Post()
  @RequirePermission('members.manage')
  invite(@CurrentUser() user: AuthUser, @Body() dto: InviteDto): Promise<Invitation> {
    return this.invitations.invite(user, dto);
  }

  @ApiBearerAuth()
  @Get()
  @RequirePermission('members.read')
  list(): Promise<Invitation[]> {
    return this.invitations.list();
  }

  @ApiBearerAuth()
  @Post(':id/resend')
  @HttpCode(200)
  @RequirePermission('members.manage')
  resend(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<Invitation> {
    return this.invitations.resend(user, id);
  }

  @ApiBearerAuth()
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('members.manage')
  revoke(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<void> {
    return this.invitations.revoke(user, id);
  }

  /** What a link invites to (the token travels in the body, never in a URL). */
  @Public()
  @Post('preview')
  @HttpCode(200)
  preview(@Body() dto: InvitationTokenDto): Promise<InvitationPreview> {
    return this.invitations.preview(dto.token);
  }

  /** Accepts and signs in: a new account sets its password, an existing one gives its current password. */
  @Public()
  @Post('accept')
  @HttpCode(200)
  async accept(
    @Body() dto: AcceptInvitationDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthTokenResponse> {
    return this.cookie.issue(res, await this.invitations.accept(dto));
  }
}
