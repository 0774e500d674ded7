import { Global, Module } from '@nestjs/common';
import { RealtimeService } from './realtime.service.js';

/** Global: any module announces changes; the gateway (in the app) attaches the sockets. */
@Global()
@Module({ providers: [RealtimeService], exports: [RealtimeService] })
export class RealtimeModule {}
