import type { ContactRequest } from '@tenantry/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
/** An empty optional text field means "none". */
const emptyToNull = () => Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? null : value));

export class CreateContactDto implements ContactRequest {
  @ApiProperty({ example: 'Grace Hopper' }) @trim() @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ example: 'grace@navy.test', nullable: true })
  @emptyToNull()
  @IsOptional()
  @trim()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;
  @ApiPropertyOptional({ nullable: true }) @emptyToNull() @IsOptional() @trim() @IsString() @MaxLength(200) company?:
    string | null;
  @ApiPropertyOptional({ type: [String], example: ['customer'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  tags?: string[];
  @ApiPropertyOptional({ nullable: true }) @emptyToNull() @IsOptional() @IsString() @MaxLength(5000) notes?:
    string | null;
}
