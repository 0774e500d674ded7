import { applyDecorators } from '@nestjs/common';
import { ErrorCode } from '@tenantry/contracts';
import { Transform } from 'class-transformer';
import { isEmail, ValidateBy } from 'class-validator';
import { AppError } from './app-error.js';

/** Characters nobody sees: controls, format characters (zero-width joiner, bidi overrides), separators, default-ignorables (Hangul filler). */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]/u;
/** Fullwidth and halfwidth forms: typed by IME users, folded by NFKC to the letters they show. */
const WIDTH_VARIANT = /[\uFF00-\uFFEF]/u;
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Hangul',
  'Ethiopic',
  'Cherokee',
  'Khmer',
  'Mongolian',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
].map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);
/** Scripts written together (UTS #39, "highly restrictive"): Japanese, Chinese with Bopomofo, Korean; each may add Latin. */
const MIXES = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
/** A letter's script; one of no listed script counts as a script of its own. */
const scriptOf = (char: string) => SCRIPTS.find(([, pattern]) => pattern.test(char))?.[0] ?? codePoint(char);

/** The scripts of a part's letters when they mix where no language does, else null. */
function mixedScripts(part: string): string[] | null {
  const scripts = new Set([...part].filter((c) => /\p{L}/u.test(c)).map(scriptOf));
  if (scripts.size < 2 || MIXES.some((mix) => [...scripts].every((s) => mix.has(s)))) return null;
  return [...scripts];
}

/** The normalized address, or why there is none (the reason follows the field name: "email …"). */
function normalized(input: unknown): { email: string } | { reason: string } {
  if (typeof input !== 'string') return { reason: 'must be an email address' };
  // Only plain spaces around it are trimmed: a leading byte order mark or zero-width space is refused like one inside.
  const trimmed = input.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  const invisible = [...trimmed].find((c) => INVISIBLE.test(c));
  if (invisible) return { reason: `must not contain invisible or control characters (${codePoint(invisible)})` };
  // A sign or styled letter that folds onto a plain one (KELVIN SIGN to k, ﬁ to fi) would reach the plain account: refused, not folded.
  const lookalike = [...trimmed].find(
    (c) => c > '\u007f' && !WIDTH_VARIANT.test(c) && /[\u0000-\u007f]/.test(c.normalize('NFKC').toLowerCase()),
  );
  if (lookalike)
    return {
      reason: `must not contain ${lookalike} (${codePoint(lookalike)}), which looks like a plain letter or digit: type the plain one`,
    };
  const email = trimmed.normalize('NFKC').toLowerCase().normalize('NFKC');
  if (email.length > 254 || !isEmail(email, { allow_utf8_local_part: true }))
    return { reason: 'must be an email address' };
  const [local, domain] = email.split('@');
  for (const part of [local, ...domain.split('.')]) {
    const scripts = mixedScripts(part);
    if (scripts)
      return { reason: `must not mix scripts (${scripts.join(' and ')}) in "${part}": look-alike letters are refused` };
  }
  return { email };
}

/**
 * The one form of an email address that enters (signup, login, invitations,
 * SSO, password reset): trimmed, NFKC (fullwidth letters become plain),
 * lower case; refused with 400 VALIDATION_FAILED when it holds invisible
 * characters, a sign that folds onto a plain letter (KELVIN SIGN), or letters
 * of scripts mixed within the local part or a domain label (a Cyrillic а
 * among Latin letters). Single-script IDN domains are fine.
 */
export function normalizeEmail(input: unknown, field = 'email'): string {
  const result = normalized(input);
  if ('reason' in result)
    throw new AppError(ErrorCode.VALIDATION_FAILED, { fields: [{ field, messages: [`${field} ${result.reason}`] }] });
  return result.email;
}

/** normalizeEmail, or null where it refuses (for addresses from a third party, refused with their own error). */
export function tryNormalizeEmail(input: unknown): string | null {
  const result = normalized(input);
  return 'email' in result ? result.email : null;
}

/** A DTO field holding an email address: normalized (normalizeEmail) before validation, refused with the reason. */
export const IsEmailAddress = () =>
  applyDecorators(
    Transform(({ value }) => tryNormalizeEmail(value) ?? value),
    ValidateBy({
      name: 'isEmailAddress',
      validator: {
        validate: (value) => typeof value === 'string' && tryNormalizeEmail(value) === value,
        defaultMessage: (args) => {
          const result = normalized(args?.value);
          return `${args?.property ?? 'email'} ${'reason' in result ? result.reason : 'must be an email address'}`;
        },
      },
    }),
  );
