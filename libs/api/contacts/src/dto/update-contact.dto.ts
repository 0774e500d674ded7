import { PartialType } from '@nestjs/swagger';
import { CreateContactDto } from './create-contact.dto.js';

export class UpdateContactDto extends PartialType(CreateContactDto) {}
