import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InvitationEntity } from './entities/invitation.entity.js';
import { MembershipEntity } from './entities/membership.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { InvitationsRepository } from './invitations.repository.js';
import { PeopleRepository } from './people.repository.js';
import { PeopleService } from './people.service.js';
import { PlatformPeopleRepository } from './platform-people.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, MembershipEntity, InvitationEntity])],
  providers: [PeopleService, PeopleRepository, InvitationsRepository, PlatformPeopleRepository],
  exports: [PeopleService],
})
export class PeopleModule {}
