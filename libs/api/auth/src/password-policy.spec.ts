import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long, uncommon passphrase', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
  });

  it('refuses passwords shorter than 12 characters', () => {
    expect(passwordProblem('Tr0ub4dor&3')).toMatch(/12 to 200 characters/);
  });

  it('refuses long passwords that are on the breached-password list, in any case', () => {
    expect(passwordProblem('qwerty123456')).toMatch(/most common passwords/);
    expect(passwordProblem('QAZWSXEDCRFV')).toMatch(/most common passwords/);
  });

  it('refuses a long run of the same few characters', () => {
    expect(passwordProblem('abababababababab')).toMatch(/more than three different characters/);
  });
});
