import { deletionOrder } from './tenant-catalog.js';

describe('deletionOrder', () => {
  it('puts every table after the tables pointing at it', () => {
    const order = deletionOrder(
      ['contacts', 'memberships', 'sessions', 'invitations'],
      [
        { child: 'sessions', parent: 'memberships' },
        { child: 'invitations', parent: 'memberships' },
        { child: 'memberships', parent: 'contacts' },
      ],
    );
    expect(order.indexOf('sessions')).toBeLessThan(order.indexOf('memberships'));
    expect(order.indexOf('invitations')).toBeLessThan(order.indexOf('memberships'));
    expect(order.indexOf('memberships')).toBeLessThan(order.indexOf('contacts'));
    expect(order).toHaveLength(4);
  });

  it('ignores self references and keeps tables on a cycle, last', () => {
    expect(
      deletionOrder(
        ['a', 'b', 'c'],
        [
          { child: 'a', parent: 'a' },
          { child: 'b', parent: 'c' },
          { child: 'c', parent: 'b' },
        ],
      ),
    ).toEqual(['a', 'b', 'c']);
  });
});
