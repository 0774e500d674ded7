import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class DownloadQuery {
  @ApiProperty({ description: 'The signed token of the download link.' }) @IsString() @MaxLength(1000) token: string;
}
