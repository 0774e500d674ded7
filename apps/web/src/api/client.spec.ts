import { ApiError } from './client';

describe('ApiError', () => {
  it('gives field messages by field name for VALIDATION_FAILED', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'Some fields are invalid.', {
      fields: [
        { field: 'email', messages: ['email must be an email'] },
        { field: 'name', messages: ['name is too short', 'name must be a string'] },
      ],
    });
    expect(error.fieldErrors).toEqual({
      email: 'email must be an email',
      name: 'name is too short; name must be a string',
    });
  });

  it('has no field messages for other errors', () => {
    expect(new ApiError(403, 'FORBIDDEN', 'Your role does not allow this.').fieldErrors).toEqual({});
  });
});
