import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** An owner deletes the tenant by typing its address: a slip of the mouse deletes nothing. */
export class RequestDeletionDto {
  @ApiProperty({ example: 'acme', description: "The tenant's address (slug), typed by the owner." })
  @IsString()
  @MaxLength(100)
  confirm: string;
}
