import { RealtimeService, type RealtimeSockets } from './realtime.service.js';

/** A ChangeBus that delivers in process, as Redis pub/sub would to this instance. */
function bus() {
  const handlers = new Map<string, (m: Record<string, unknown>) => void>();
  return {
    subscribe: (topic: string, handler: (m: Record<string, unknown>) => void) => handlers.set(topic, handler),
    publish: async (topic: string, message: Record<string, unknown>) =>
      handlers.get(topic)?.(JSON.parse(JSON.stringify(message))),
  };
}

describe('RealtimeService', () => {
  it("emits a tenant's event into that tenant's room only", async () => {
    const emitted: [string, string, unknown][] = [];
    const sockets: RealtimeSockets = {
      to: (room) => ({ emit: (event, data) => emitted.push([room, event, data]) }),
      in: () => ({ fetchSockets: async () => [] }),
    };
    const service = new RealtimeService(bus() as never, {} as never);
    service.attach(sockets);
    await service.toTenant('t1', 'contacts.changed', { id: 'c1', change: 'created' });
    await new Promise((r) => setImmediate(r));
    expect(emitted).toEqual([['tenant:t1', 'contacts.changed', { id: 'c1', change: 'created' }]]);
  });

  it("closes a removed member's sockets of that tenant, not of their other tenants", async () => {
    const closed: string[] = [];
    const socket = (tenantId: string) => ({ data: { tenantId }, disconnect: () => closed.push(tenantId) });
    const sockets: RealtimeSockets = {
      to: () => ({ emit: () => undefined }),
      in: () => ({ fetchSockets: async () => [socket('t1'), socket('t2')] }),
    };
    const db = { tenantId: 't1', afterCommit: (work: () => Promise<void>) => void work() };
    const service = new RealtimeService(bus() as never, db as never);
    service.attach(sockets);
    service.dropAfterCommit('u1');
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toEqual(['t1']);
  });
});
