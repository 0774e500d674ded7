import { Injectable, Logger } from '@nestjs/common';
import { ChangeBus } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import type { RealtimeEvent, RealtimeEvents } from '@tenantry/contracts';

/** The part of a Socket.io server this service drives (the gateway hands it over). */
export interface RealtimeSockets {
  to(room: string): { emit(event: string, data: unknown): unknown };
  in(room: string): {
    fetchSockets(): Promise<{ data: { tenantId?: string | null }; disconnect(close?: boolean): unknown }[]>;
  };
}

interface Message {
  room?: string;
  event?: string;
  data?: unknown;
  /** Drop the sockets of this user in this tenant (membership removed). */
  drop?: { tenantId: string; userId: string };
  /** Drop the sockets opened with these sessions' tokens (signed out, revoked, impersonation ended). */
  dropSessions?: string[];
}

export const tenantRoom = (tenantId: string) => `tenant:${tenantId}`;
export const userRoom = (userId: string) => `user:${userId}`;
/** The sockets opened with one session's tokens (`sid`: a sign-in, or an impersonation). */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const EVERYONE = 'everyone';

/**
 * Events to the signed-in apps, through every API instance: a message goes
 * out on the ChangeBus (Redis pub/sub) and each instance passes it to its own
 * sockets in the room — a tenant's room holds only that tenant's sockets, so
 * an event never reaches another tenant. Events about a change are sent once
 * it commits.
 */
@Injectable()
export class RealtimeService {
  private readonly logger = new Logger(RealtimeService.name);
  private sockets: RealtimeSockets | null = null;

  constructor(
    private readonly changes: ChangeBus,
    private readonly db: TenantDb,
  ) {
    this.changes.subscribe('realtime', (message) => void this.deliver(message as Message));
  }

  /** The gateway's server, once it runs (an instance without one, e.g. a worker, only publishes). */
  attach(sockets: RealtimeSockets): void {
    this.sockets = sockets;
  }

  /** To every socket of the request's tenant, once its transaction commits. */
  toTenantAfterCommit<E extends RealtimeEvent>(event: E, data: RealtimeEvents[E]): void {
    const tenantId = this.db.tenantId;
    this.db.afterCommit(() => this.publish({ room: tenantRoom(tenantId), event, data }));
  }

  /** To every socket of a tenant, now (for work that has committed already). */
  async toTenant<E extends RealtimeEvent>(tenantId: string, event: E, data: RealtimeEvents[E]): Promise<void> {
    await this.publish({ room: tenantRoom(tenantId), event, data });
  }

  /** To every signed-in app (maintenance announcements). */
  async toEveryone<E extends RealtimeEvent>(event: E, data: RealtimeEvents[E]): Promise<void> {
    await this.publish({ room: EVERYONE, event, data });
  }

  /** Closes the user's sockets in the request's tenant once its transaction commits (their membership ended). */
  dropAfterCommit(userId: string): void {
    const tenantId = this.db.tenantId;
    this.db.afterCommit(() => this.publish({ drop: { tenantId, userId } }));
  }

  /** Closes, on every instance, the sockets of sessions that were just revoked: an ended session listens no longer. */
  async dropSessions(sessionIds: string[]): Promise<void> {
    if (sessionIds.length) await this.publish({ dropSessions: sessionIds });
  }

  private publish(message: Message): Promise<void> {
    return this.changes.publish('realtime', message as Record<string, unknown>);
  }

  private async deliver(message: Message): Promise<void> {
    if (!this.sockets) return;
    try {
      if (message.drop) {
        const { tenantId, userId } = message.drop;
        for (const socket of await this.sockets.in(userRoom(userId)).fetchSockets())
          if (socket.data.tenantId === tenantId) socket.disconnect(true);
      } else if (message.dropSessions) {
        for (const id of message.dropSessions)
          for (const socket of await this.sockets.in(sessionRoom(id)).fetchSockets()) socket.disconnect(true);
      } else if (message.room && message.event) this.sockets.to(message.room).emit(message.event, message.data);
    } catch (error) {
      this.logger.warn(`realtime message not delivered: ${(error as Error).message}`);
    }
  }
}
