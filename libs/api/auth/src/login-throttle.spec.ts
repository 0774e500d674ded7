import { lockSeconds } from './login-throttle.js';

describe('account lockout', () => {
  it('doubles with every lockout of the day, from one minute up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(lockSeconds)).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });
});
