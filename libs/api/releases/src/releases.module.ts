import { Module } from '@nestjs/common';
import { ReleasesController } from './releases.controller.js';
import { ReleasesRepository } from './releases.repository.js';
import { ReleasesService } from './releases.service.js';

@Module({
  controllers: [ReleasesController],
  providers: [ReleasesService, ReleasesRepository],
  exports: [ReleasesService],
})
export class ReleasesModule {}
