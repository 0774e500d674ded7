/**
 * Every error code the API can answer with. The SPA and API clients switch on
 * the code, never on the message text.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  MALFORMED_REQUEST: 'MALFORMED_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  REFRESH_TOKEN_INVALID: 'REFRESH_TOKEN_INVALID',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  WRONG_PASSWORD: 'WRONG_PASSWORD',
  NOT_A_MEMBER: 'NOT_A_MEMBER',
  MEMBER_NOT_FOUND: 'MEMBER_NOT_FOUND',
  LAST_OWNER: 'LAST_OWNER',
  ALREADY_MEMBER: 'ALREADY_MEMBER',
  INVITATION_NOT_FOUND: 'INVITATION_NOT_FOUND',
  INVITATION_INVALID: 'INVITATION_INVALID',
  INVITATION_EXPIRED: 'INVITATION_EXPIRED',
  INVITATION_USED: 'INVITATION_USED',
  TOKEN_INVALID: 'TOKEN_INVALID',
  API_KEY_INVALID: 'API_KEY_INVALID',
  API_KEY_NOT_FOUND: 'API_KEY_NOT_FOUND',
  DOMAIN_NOT_FOUND: 'DOMAIN_NOT_FOUND',
  IMPERSONATION_FORBIDDEN: 'IMPERSONATION_FORBIDDEN',
  CANNOT_IMPERSONATE: 'CANNOT_IMPERSONATE',
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  IMPERSONATION_NOT_FOUND: 'IMPERSONATION_NOT_FOUND',
  SSO_CONNECTION_NOT_FOUND: 'SSO_CONNECTION_NOT_FOUND',
  SSO_METADATA_INVALID: 'SSO_METADATA_INVALID',
  DOMAIN_ALREADY_CLAIMED: 'DOMAIN_ALREADY_CLAIMED',
  DOMAIN_PUBLIC: 'DOMAIN_PUBLIC',
  DOMAIN_VERIFICATION_FAILED: 'DOMAIN_VERIFICATION_FAILED',
  DOMAIN_NOT_VERIFIED: 'DOMAIN_NOT_VERIFIED',
  JOIN_NOT_ALLOWED: 'JOIN_NOT_ALLOWED',
  FORBIDDEN: 'FORBIDDEN',
  TENANT_REQUIRED: 'TENANT_REQUIRED',
  TENANT_NOT_FOUND: 'TENANT_NOT_FOUND',
  TENANT_SUSPENDED: 'TENANT_SUSPENDED',
  TENANT_MISMATCH: 'TENANT_MISMATCH',
  SLUG_TAKEN: 'SLUG_TAKEN',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  CONTACT_NOT_FOUND: 'CONTACT_NOT_FOUND',
  INVALID_CURSOR: 'INVALID_CURSOR',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  DATABASE_BUSY: 'DATABASE_BUSY',
  UNHEALTHY: 'UNHEALTHY',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

interface ErrorSpec {
  status: number;
  message: string;
}

/** Exhaustive: the compiler refuses a code without a status and a message. */
export const ERRORS: Record<ErrorCode, ErrorSpec> = {
  VALIDATION_FAILED: { status: 400, message: 'Some fields are invalid.' },
  MALFORMED_REQUEST: { status: 400, message: 'The request body could not be read.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in to continue.' },
  INVALID_CREDENTIALS: { status: 401, message: 'Email or password is incorrect.' },
  TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many failed attempts; wait before trying again.' },
  REFRESH_TOKEN_INVALID: { status: 401, message: 'Your session has ended; sign in again.' },
  REFRESH_TOKEN_REUSED: { status: 401, message: 'This session was signed out because its refresh token was used twice; sign in again.' },
  SESSION_NOT_FOUND: { status: 404, message: 'No such session.' },
  WRONG_PASSWORD: { status: 403, message: 'The current password is incorrect.' },
  NOT_A_MEMBER: { status: 403, message: 'You are not a member of that tenant.' },
  MEMBER_NOT_FOUND: { status: 404, message: 'No such member.' },
  LAST_OWNER: { status: 409, message: 'A tenant needs at least one owner: make someone else owner first.' },
  ALREADY_MEMBER: { status: 409, message: 'This person is already a member of the tenant.' },
  INVITATION_NOT_FOUND: { status: 404, message: 'No such pending invitation.' },
  INVITATION_INVALID: { status: 404, message: 'This invitation link is not valid (it may have been revoked or replaced by a newer one).' },
  INVITATION_EXPIRED: { status: 410, message: 'This invitation has expired; ask for a new one.' },
  INVITATION_USED: { status: 410, message: 'This invitation was already accepted; sign in instead.' },
  TOKEN_INVALID: { status: 400, message: 'This link is invalid, expired or already used; ask for a new one.' },
  API_KEY_INVALID: { status: 401, message: 'This API key is unknown, revoked or expired.' },
  API_KEY_NOT_FOUND: { status: 404, message: 'No such API key.' },
  DOMAIN_NOT_FOUND: { status: 404, message: 'No such domain.' },
  IMPERSONATION_FORBIDDEN: { status: 403, message: 'Not while impersonating: this action is reserved to the person themselves.' },
  CANNOT_IMPERSONATE: { status: 403, message: 'This person can not be impersonated.' },
  CONSENT_REQUIRED: { status: 403, message: 'This tenant requires an owner to approve impersonation first; a request was sent.' },
  IMPERSONATION_NOT_FOUND: { status: 404, message: 'No such impersonation request.' },
  SSO_CONNECTION_NOT_FOUND: { status: 404, message: 'No such single sign-on connection.' },
  SSO_METADATA_INVALID: { status: 422, message: 'The identity provider settings can not be used; see details.' },
  DOMAIN_ALREADY_CLAIMED: { status: 409, message: 'This tenant has already claimed that domain.' },
  DOMAIN_PUBLIC: { status: 422, message: 'Public email domains (like gmail.com) can not be claimed by a tenant.' },
  DOMAIN_NOT_VERIFIED: { status: 409, message: 'Verify the domain first.' },
  JOIN_NOT_ALLOWED: { status: 403, message: 'You can not join this tenant by your email domain (confirm your email address first, or ask for an invitation).' },
  DOMAIN_VERIFICATION_FAILED: { status: 422, message: 'The DNS record proving ownership was not found; add it and try again (DNS changes can take a while).' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this.' },
  TENANT_REQUIRED: { status: 400, message: 'This request needs a tenant (subdomain or X-Tenant header).' },
  TENANT_NOT_FOUND: { status: 404, message: 'No such tenant.' },
  TENANT_SUSPENDED: { status: 403, message: 'This tenant is suspended.' },
  TENANT_MISMATCH: { status: 403, message: 'Your session belongs to another tenant.' },
  SLUG_TAKEN: { status: 409, message: 'That tenant address is already taken.' },
  EMAIL_TAKEN: { status: 409, message: 'An account with this email already exists.' },
  CONTACT_NOT_FOUND: { status: 404, message: 'No such contact.' },
  INVALID_CURSOR: { status: 400, message: 'The pagination cursor is invalid.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such endpoint.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed.' },
  DATABASE_BUSY: { status: 503, message: 'The service is busy; try again shortly.' },
  UNHEALTHY: { status: 503, message: 'A dependency of the service is down.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
};

export interface FieldError {
  field: string;
  messages: string[];
}

/** The body of every error response. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: Record<string, unknown>;
  };
}
