import { Body, Controller, Delete, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import {
  AppError,
  type AuthUser,
  AvailableInMaintenance,
  CurrentUser,
  Public,
  UuidParam,
  WhileImpersonating,
} from '@tenantry/api-core';
import {
  type AuthTokenResponse,
  type EmailConfirmed,
  ErrorCode,
  type JoinOption,
  type MeResponse,
  type SessionInfo,
  type SlugAvailability,
} from '@tenantry/contracts';
import type { Request, Response } from 'express';
import { AccountEmailsService } from './account-emails.service.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { EmailTokenDto, ForgotPasswordDto, ResetPasswordDto } from './dto/password-reset.dto.js';
import { SignupDto, SignupOptionsQuery, SignupToJoinDto, SlugQuery } from './dto/signup.dto.js';
import { SignupService } from './signup.service.js';
import { SwitchTenantDto } from './dto/switch-tenant.dto.js';
import { MembersService } from './members.service.js';
import { RefreshCookie } from './refresh-cookie.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: RefreshCookie,
    private readonly accountEmails: AccountEmailsService,
    private readonly members: MembersService,
    private readonly signups: SignupService,
  ) {}

  /** Mails a link that creates the workspace (or, when the address has an account, a note to its owner); answers the same either way. */
  @Public()
  @Post('signup')
  @HttpCode(202)
  signup(@Body() dto: SignupDto): Promise<void> {
    return this.signups.signup(dto);
  }

  /** Creates the workspace of a signup from its mailed link, and signs its owner in. */
  @Public()
  @Post('signup/confirm')
  async confirmSignup(
    @Body() dto: EmailTokenDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthTokenResponse> {
    return this.cookie.issue(res, await this.signups.confirmSignup(dto.token));
  }

  /** Tenants the email's domain may join instead of creating a workspace (they chose to be found by it). */
  @Public()
  @Get('signup/options')
  signupOptions(@Query() query: SignupOptionsQuery): Promise<JoinOption[]> {
    return this.signups.signupOptions(query.email);
  }

  /** The signup wizard's address step: is it free, and if not, free ones close to it. */
  @Public()
  @Get('signup/slug')
  slugAvailability(@Query() query: SlugQuery): Promise<SlugAvailability> {
    return this.signups.slugAvailability(query.slug.toLowerCase());
  }

  /** Mails a link that creates an account joining such a tenant (or, when the address has an account, a note to its owner). */
  @Public()
  @Post('signup/join')
  @HttpCode(202)
  signupToJoin(@Body() dto: SignupToJoinDto): Promise<void> {
    return this.signups.signupToJoin(dto);
  }

  @Public()
  @AvailableInMaintenance() // operators sign in; AuthService refuses everyone else
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) res: Response): Promise<AuthTokenResponse> {
    return this.cookie.issue(res, await this.auth.login(dto));
  }

  /** Rotates the refresh cookie and returns a new access token for the resolved tenant. */
  @Public()
  @AvailableInMaintenance()
  @ApiCookieAuth()
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthTokenResponse> {
    try {
      return this.cookie.issue(res, await this.auth.refresh(this.cookie.read(req)));
    } catch (error) {
      // A dead session's cookie goes; a refusal for this tenant (NOT_A_MEMBER, TENANT_REQUIRED, SSO_SESSION_TENANT_BOUND) keeps it.
      if (
        error instanceof AppError &&
        (error.code === ErrorCode.REFRESH_TOKEN_INVALID || error.code === ErrorCode.REFRESH_TOKEN_REUSED)
      )
        this.cookie.clear(res);
      throw error;
    }
  }

  @Public()
  @ApiCookieAuth()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(this.cookie.read(req));
    this.cookie.clear(res);
  }

  @ApiBearerAuth()
  @Post('logout-all')
  @HttpCode(204)
  async logoutAll(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logoutAll(user);
    this.cookie.clear(res);
  }

  @ApiBearerAuth()
  @Get('sessions')
  @WhileImpersonating('deny') // where and on which devices the person signs in is theirs alone
  sessions(@CurrentUser() user: AuthUser): Promise<SessionInfo[]> {
    return this.auth.listSessions(user);
  }

  @ApiBearerAuth()
  @Delete('sessions/:id')
  @HttpCode(204)
  revokeSession(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<void> {
    return this.auth.revokeSession(user, id);
  }

  @ApiBearerAuth()
  @Post('password')
  @HttpCode(204)
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(user, dto);
  }

  /** Mails a reset link when the address has an account here; answers the same either way. */
  @Public()
  @Post('password/forgot')
  @HttpCode(202)
  forgotPassword(@Body() dto: ForgotPasswordDto): Promise<void> {
    return this.accountEmails.forgotPassword(dto.email);
  }

  /** Sets a new password from a reset link; every session of the account ends. */
  @Public()
  @Post('password/reset')
  @HttpCode(204)
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.accountEmails.resetPassword(dto.token, dto.newPassword);
  }

  /** Mails the caller a link that confirms their email address. */
  @ApiBearerAuth()
  @Post('email/verification')
  @HttpCode(202)
  sendVerification(@CurrentUser() user: AuthUser): Promise<void> {
    return this.accountEmails.sendVerification(user.userId);
  }

  @Public()
  @Post('email/verify')
  @HttpCode(200)
  async verifyEmail(@Body() dto: EmailTokenDto): Promise<EmailConfirmed> {
    // A signup to join's link makes its account here; any other is a signed-in account's verification.
    const userId =
      (await this.signups.confirmSignupToJoin(dto.token)) ?? (await this.accountEmails.verifyEmail(dto.token));
    return { joined: await this.members.joinAfterConfirmation(userId) };
  }

  /** A new access token, in this session, for another tenant the caller belongs to. */
  @ApiBearerAuth()
  @Post('switch-tenant')
  @HttpCode(200)
  switchTenant(@CurrentUser() user: AuthUser, @Body() dto: SwitchTenantDto): Promise<AuthTokenResponse> {
    return this.auth.switchTenant(user, dto.tenant);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthUser): Promise<MeResponse> {
    return this.auth.me(user);
  }
}
