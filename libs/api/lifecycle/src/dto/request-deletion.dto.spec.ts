import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RequestDeletionDto } from './request-deletion.dto.js';

const problems = (body: object) => validateSync(plainToInstance(RequestDeletionDto, body)).map((e) => e.property);

describe('RequestDeletionDto', () => {
  it('needs the typed address as text', () => {
    expect(problems({ confirm: 'acme' })).toEqual([]);
    expect(problems({})).toEqual(['confirm']);
    expect(problems({ confirm: 42 })).toEqual(['confirm']);
    expect(problems({ confirm: 'a'.repeat(101) })).toEqual(['confirm']);
  });
});
