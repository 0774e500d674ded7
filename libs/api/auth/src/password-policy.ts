import { dictionary } from '@zxcvbn-ts/language-common';
import { ValidateBy, type ValidationOptions } from 'class-validator';

export const PASSWORD_MIN_LENGTH = 12;
// argon2 hashes any length, but a megabyte-long "password" is a denial of service.
export const PASSWORD_MAX_LENGTH = 200;

// The ~50,000 most common passwords of public breach corpora (zxcvbn-ts's list).
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string') return 'password must be a string';
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`;
  }
  if (COMMON.has(password.toLowerCase()))
    return 'password is one of the most common passwords in breaches; choose another';
  if (new Set(password).size < 4) return 'password must use more than three different characters';
  return null;
}

/** Class-validator decorator for new passwords (signup, change, reset). */
export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAcceptablePassword',
      validator: {
        validate: (value) => passwordProblem(value) === null,
        defaultMessage: (args) => passwordProblem(args?.value) ?? 'password is not acceptable',
      },
    },
    options,
  );
}
