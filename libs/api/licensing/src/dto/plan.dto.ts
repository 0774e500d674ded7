import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PLAN_FEATURES, type PlanFeature } from '@tenantry/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const PLAN_CODE = /^[a-z][a-z0-9-]{1,30}$/;
const STRIPE_PRICE = /^price_\w{1,100}$/;
const orNull = () => ValidateIf((_o, v) => v !== null && v !== undefined);

/** Monthly allowances per metric; null or left out: unlimited. */
export class MonthlyLimitsDto {
  @ApiPropertyOptional({ nullable: true, example: 100000 }) @orNull() @IsInt() @Min(0) @Max(2_000_000_000) api_calls?:
    number | null;
  @ApiPropertyOptional({ nullable: true, example: 5000 }) @orNull() @IsInt() @Min(0) @Max(2_000_000_000) contacts?:
    number | null;
}

/** A monthly price in the smallest unit of a currency (cents). */
export class ListPriceDto {
  @ApiProperty({ example: 4900 }) @IsInt() @Min(0) @Max(100_000_000) amount: number;
  @ApiProperty({ example: 'eur' })
  @Matches(/^[a-z]{3}$/, { message: 'currency must be a lower-case ISO 4217 code like eur' })
  currency: string;
}

/** A plan's terms, as the platform console edits them. */
export class PlanDto {
  @ApiProperty({ example: 'Team' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100)
  name: string;
  @ApiProperty({ nullable: true, example: 25, description: 'null: unlimited.' })
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  seats: number | null;
  @ApiProperty({ type: MonthlyLimitsDto })
  @ValidateNested()
  @Type(() => MonthlyLimitsDto)
  monthlyLimits: MonthlyLimitsDto;
  @ApiProperty({ nullable: true, example: 600, description: 'Requests a minute; null: no rate limit.' })
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rateLimitPerMinute: number | null;
  @ApiProperty({ enum: PLAN_FEATURES, isArray: true })
  @IsArray()
  @ArrayMaxSize(PLAN_FEATURES.length)
  @IsIn(PLAN_FEATURES, { each: true })
  features: PlanFeature[];
  @ApiProperty({ example: 14, description: 'Days a tenant may try the plan for free; 0: no trial.' })
  @IsInt()
  @Min(0)
  @Max(365)
  trialDays: number;
  @ApiPropertyOptional({ default: 7, description: 'Days a past-due subscription keeps full access.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(90)
  graceDays?: number;
  @ApiPropertyOptional({
    nullable: true,
    example: 'price_1Pbase',
    description: 'Stripe price of the flat monthly base.',
  })
  @orNull()
  @IsString()
  @Matches(STRIPE_PRICE, { message: 'stripePriceId must be a Stripe price id (price_…)' })
  stripePriceId?: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'price_1Pseat', description: 'Stripe price per seat.' })
  @orNull()
  @IsString()
  @Matches(STRIPE_PRICE, { message: 'stripeSeatPriceId must be a Stripe price id (price_…)' })
  stripeSeatPriceId?: string | null;
  @ApiPropertyOptional({
    type: ListPriceDto,
    nullable: true,
    description: 'Monthly list price of tenants billed by hand (MRR in the console); null: none.',
  })
  @orNull()
  @ValidateNested()
  @Type(() => ListPriceDto)
  listPrice?: ListPriceDto | null;
}

export class NewPlanDto extends PlanDto {
  @ApiProperty({ example: 'team' })
  @IsString()
  @Matches(PLAN_CODE, { message: 'code must be 2–31 lowercase letters, digits or dashes, starting with a letter' })
  code: string;
}

export class ChangePlanDto {
  @ApiProperty({ example: 'pro', description: 'A plan code from GET /api/platform/plans.' })
  @IsString()
  @Matches(PLAN_CODE, { message: 'plan must be a plan code like pro' })
  plan: string;
}

export class NearLimitsQuery {
  @ApiPropertyOptional({ default: 80, description: 'Percent of a limit used.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  threshold = 80;
}
