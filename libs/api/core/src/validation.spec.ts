import { IsString } from 'class-validator';
import { AppError } from './app-error.js';
import { createValidationPipe } from './validation.js';

class SearchQuery {
  @IsString() q: string;
}

describe('the global validation pipe', () => {
  const pipe = createValidationPipe();

  it('refuses a NUL character anywhere with VALIDATION_FAILED naming the field (the database would fail on it)', async () => {
    const query = await pipe
      .transform({ q: 'acme\u0000' }, { type: 'query', metatype: SearchQuery })
      .catch((e: unknown) => e);
    expect(query).toBeInstanceOf(AppError);
    expect(query).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'q' }] } });
    const nested = await pipe
      .transform({ contact: { tags: ['ok', 'x\u0000y'] } }, { type: 'body', metatype: Object })
      .catch((e: unknown) => e);
    expect(nested).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'contact.tags.1' }] } });
    const param = await pipe
      .transform('\u0000', { type: 'param', data: 'code', metatype: String })
      .catch((e: unknown) => e);
    expect(param).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'code' }] } });
  });

  it('looks only at client input, not at what a custom decorator supplies', async () => {
    const user = { displayName: 'legacy\u0000name' };
    await expect(pipe.transform(user, { type: 'custom', metatype: Object })).resolves.toBe(user);
  });

  it('passes clean input on to validation', async () => {
    await expect(pipe.transform({ q: 'acme ñ 🙂' }, { type: 'query', metatype: SearchQuery })).resolves.toMatchObject({
      q: 'acme ñ 🙂',
    });
    await expect(pipe.transform({ q: 42, extra: 1 }, { type: 'query', metatype: SearchQuery })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
