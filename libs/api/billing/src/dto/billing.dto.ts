import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const PLAN_CODE = /^[a-z][a-z0-9-]{1,30}$/;

export class CheckoutDto {
  @ApiProperty({ example: 'pro' })
  @IsString()
  @Matches(PLAN_CODE, { message: 'plan must be a plan code like pro' })
  plan: string;
  @ApiPropertyOptional({ description: 'Seats to pay for; as many as in use when left out (never fewer).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  seats?: number;
  @ApiPropertyOptional({
    enum: ['billing', 'welcome'],
    default: 'billing',
    description: 'The page Stripe sends the browser back to.',
  })
  @IsOptional()
  @IsIn(['billing', 'welcome'])
  returnTo?: 'billing' | 'welcome';
}

export class SeatsDto {
  @ApiProperty({ example: 12 }) @IsInt() @Min(1) @Max(100_000) seats: number;
}

export class BillingPlanDto {
  @ApiProperty({ example: 'pro' })
  @IsString()
  @Matches(PLAN_CODE, { message: 'plan must be a plan code like pro' })
  plan: string;
}

export class CancelDto {
  @ApiProperty({ description: 'true: cancel at the end of the period; false: keep the subscription.' })
  @IsBoolean()
  cancelAtPeriodEnd: boolean;
}
