import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class ChangePlanDto {
  @ApiProperty({ example: 'pro', description: 'A plan code from GET /api/platform/plans.' })
  @IsString() @Matches(/^[a-z][a-z0-9-]{1,30}$/, { message: 'plan must be a plan code like pro' })
  plan: string;
}
