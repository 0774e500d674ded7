import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, RequirePermission, UuidParam, WhileImpersonating } from '@tenantry/api-core';
import type { Impersonation } from '@tenantry/contracts';
import { ImpersonationService } from './impersonation.service.js';

/**
 * The tenant's side: owners approve support access; the impersonating admin ends it.
 * Deciding is a change, so it is denied while impersonating: an admin acting as an owner never approves their own access.
 */
@ApiTags('impersonation')
@ApiBearerAuth()
@Controller('impersonations')
export class ImpersonationController {
  constructor(private readonly impersonation: ImpersonationService) {}

  @Get()
  @RequirePermission('impersonation.approve')
  list(): Promise<Impersonation[]> {
    return this.impersonation.listForTenant();
  }

  @Post(':id/approve')
  @HttpCode(200)
  @RequirePermission('impersonation.approve')
  approve(@CurrentUser() owner: AuthUser, @UuidParam() id: string): Promise<Impersonation> {
    return this.impersonation.decide(owner, id, true);
  }

  @Post(':id/deny')
  @HttpCode(200)
  @RequirePermission('impersonation.approve')
  deny(@CurrentUser() owner: AuthUser, @UuidParam() id: string): Promise<Impersonation> {
    return this.impersonation.decide(owner, id, false);
  }

  /** An owner ends a running support session at once. */
  @Post(':id/end')
  @HttpCode(200)
  @RequirePermission('impersonation.approve')
  endByOwner(@UuidParam() id: string): Promise<Impersonation> {
    return this.impersonation.endByOwner(id);
  }

  /** Ends the impersonation this request is made in. */
  @Post('end')
  @HttpCode(204)
  @WhileImpersonating('allow')
  end(@CurrentUser() caller: AuthUser): Promise<void> {
    return this.impersonation.end(caller);
  }
}
