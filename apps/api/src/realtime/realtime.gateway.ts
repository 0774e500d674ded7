import { Logger } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { AccessTokenService, TokenRevocations, type VerifiedAccessToken } from '@tenantry/api-auth';
import { EVERYONE, RealtimeService, sessionRoom, tenantRoom, userRoom } from '@tenantry/api-realtime';
import { ErrorCode } from '@tenantry/contracts';
import type { Server, Socket } from 'socket.io';

interface SocketData {
  token: VerifiedAccessToken;
  userId: string;
  sessionId: string;
  tenantId: string | null;
  expiresAt: number;
}

/**
 * The realtime channel: Socket.io at `/api/realtime` (same origin as the API).
 * A socket authenticates at the handshake with its access token
 * (`auth: { token }`), joins its tenant's room and its user's, and is closed
 * when that token expires (the app reconnects with a fresh one), when its
 * session is revoked (sign-out, an ended impersonation) or when its
 * membership is removed. Events come from RealtimeService on any instance.
 */
@WebSocketGateway({ path: '/api/realtime', serveClient: false, transports: ['websocket'] })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(RealtimeGateway.name);

  constructor(
    private readonly realtime: RealtimeService,
    private readonly tokens: AccessTokenService,
    private readonly revocations: TokenRevocations,
  ) {}

  afterInit(server: Server): void {
    this.realtime.attach(server);
    server.use((socket, next) => {
      const raw: unknown = socket.handshake.auth?.token;
      void (async () => {
        const token = typeof raw === 'string' ? await this.tokens.verify(raw) : null;
        if (!token || !(await this.revocations.isCurrent(token))) return next(new Error(ErrorCode.UNAUTHENTICATED));
        const data: SocketData = {
          token,
          userId: token.sub,
          sessionId: token.sid,
          tenantId: token.tid ?? null,
          expiresAt: token.exp * 1000,
        };
        socket.data = data;
        next();
      })().catch((error: Error) => {
        this.logger.warn(`realtime handshake failed: ${error.message}`);
        next(new Error(ErrorCode.UNAUTHENTICATED));
      });
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const data = socket.data as SocketData;
    await socket.join([
      EVERYONE,
      userRoom(data.userId),
      sessionRoom(data.sessionId),
      ...(data.tenantId ? [tenantRoom(data.tenantId)] : []),
    ]);
    // A revocation announced between the handshake's check and joining the session's room missed this socket: check again.
    if (!(await this.revocations.isCurrent(data.token).catch(() => false))) {
      socket.disconnect(true);
      return;
    }
    // Closed when its token expires: the app reconnects with the refreshed one (a revoked session's sockets close at once).
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, data.expiresAt - Date.now()));
    socket.once('disconnect', () => clearTimeout(expiry));
    socket.emit('ready', { tenantId: data.tenantId });
  }
}
