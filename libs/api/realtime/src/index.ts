export { RealtimeModule } from './realtime.module.js';
export { EVERYONE, RealtimeService, type RealtimeSockets, tenantRoom, userRoom } from './realtime.service.js';
