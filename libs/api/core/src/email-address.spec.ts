import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError } from './app-error.js';
import { IsEmailAddress, normalizeEmail, tryNormalizeEmail } from './email-address.js';

describe('normalizeEmail', () => {
  it.each([
    ['Ada@Acme.Test', 'ada@acme.test'],
    ['  ada@acme.test ', 'ada@acme.test'],
    ['ａｄａ@ａｃｍｅ.ｔｅｓｔ', 'ada@acme.test'], // fullwidth letters fold (NFKC)
    ['ＡＤＡ＠acme.test', 'ada@acme.test'], // a fullwidth at sign too
    ['josé@acme.test', 'josé@acme.test'],
    ['jose\u0301@acme.test', 'josé@acme.test'], // a combining accent composes
    ['JOSÉ@ACME.TEST', 'josé@acme.test'],
    ['иван@почта.рф', 'иван@почта.рф'], // single-script, IDN domain
    ['ivan@почта.рф', 'ivan@почта.рф'], // each part single-script
    ['user@bücher.example', 'user@bücher.example'],
    ['用户@例子.广告', '用户@例子.广告'],
    ['たなか太郎@example.jp', 'たなか太郎@example.jp'], // Japanese mixes Han and kana
    ["o'brien+tag@acme.test", "o'brien+tag@acme.test"],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each([
    ['аda@acme.test', /mix scripts/], // Cyrillic а in a Latin local part
    ['ada@аcme.test', /mix scripts/], // … or in a domain label
    ['pаypal@acme.test', /mix scripts/],
    ['ad\u200Da@acme.test', /invisible/], // zero-width joiner
    ['ad\u200Ba@acme.test', /invisible/], // zero-width space
    ['\uFEFFada@acme.test', /invisible/], // byte order mark
    ['ada\u00AD@acme.test', /invisible/], // soft hyphen
    ['ada@acme.test\u202E', /invisible/], // right-to-left override
    ['ad\u3164a@acme.test', /invisible/], // Hangul filler
    ['ad a@acme.test', /invisible|email address/],
    ['\u212Aate@acme.test', /looks like/], // KELVIN SIGN must not become k
    ['kate@\u212Acme.test', /looks like/],
    ['ſam@acme.test', /looks like/], // long s
    ['İnci@acme.test', /looks like/], // dotted capital I lower-cases to i + a dot
    ['ﬁnn@acme.test', /looks like/], // ligature
    ['𝐚da@acme.test', /looks like/], // mathematical bold
    ['ada①@acme.test', /looks like/],
    ['ada@acme.test@x.test', /email address/],
    ['ada', /email address/],
    ['', /email address/],
    [`${'a'.repeat(65)}@acme.test`, /email address/],
    [`ada@${'a'.repeat(250)}.test`, /254|email address/],
  ])('refuses %j', (input, reason) => {
    expect(() => normalizeEmail(input)).toThrow(AppError);
    expect(tryNormalizeEmail(input)).toBeNull();
    try {
      normalizeEmail(input);
    } catch (error) {
      expect(error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'email', messages: [expect.stringMatching(reason)] }] },
      });
    }
  });

  it('refuses anything but a string', () => {
    expect(tryNormalizeEmail(42)).toBeNull();
    expect(tryNormalizeEmail(null)).toBeNull();
  });
});

describe('IsEmailAddress', () => {
  class Form {
    @IsEmailAddress() email: string;
  }
  const check = async (email: unknown) => {
    const form = plainToInstance(Form, { email });
    return { email: form.email, errors: (await validate(form)).flatMap((e) => Object.values(e.constraints ?? {})) };
  };

  it('hands the service the normalized address', async () => {
    expect(await check(' ＡＤＡ@Acme.Test ')).toEqual({ email: 'ada@acme.test', errors: [] });
  });

  it('refuses a look-alike with the reason', async () => {
    expect((await check('аda@acme.test')).errors).toEqual([expect.stringMatching(/^email must not mix scripts/)]);
    expect((await check(7)).errors).toEqual(['email must be an email address']);
    expect((await check(null)).errors).toEqual(['email must be an email address']);
  });
});
