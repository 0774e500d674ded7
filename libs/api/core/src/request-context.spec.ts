import { RequestContext } from './request-context.js';

describe('RequestContext', () => {
  it('gives the state of the request in flight, across awaits', async () => {
    const state = { requestId: 'r1', tenant: { id: 't1', slug: 'a', name: 'A', status: 'active' } };
    await RequestContext.run(state, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(RequestContext.current()).toBe(state);
    });
    expect(RequestContext.current()).toBeUndefined();
  });

  it('runs a callback outside the request it was called from, so it carries no tenant', () => {
    const state = { requestId: 'r2', tenant: { id: 't2', slug: 'b', name: 'B', status: 'active' } };
    RequestContext.run(state, () => {
      expect(RequestContext.outside(() => RequestContext.current())).toBeUndefined();
      expect(RequestContext.current()).toBe(state);
    });
  });
});
