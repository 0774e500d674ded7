export { RealtimeModule } from './realtime.module.js';
export {
  EVERYONE,
  RealtimeService,
  type RealtimeSockets,
  sessionRoom,
  tenantRoom,
  userRoom,
} from './realtime.service.js';
