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
  DOMAIN_TAKEN: 'DOMAIN_TAKEN',
  DOMAIN_RESERVED: 'DOMAIN_RESERVED',
  CUSTOM_DOMAIN_LIMIT: 'CUSTOM_DOMAIN_LIMIT',
  IMAGE_INVALID: 'IMAGE_INVALID',
  IMAGE_TYPE_UNSUPPORTED: 'IMAGE_TYPE_UNSUPPORTED',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  ASSET_NOT_FOUND: 'ASSET_NOT_FOUND',
  MAINTENANCE: 'MAINTENANCE',
  TENANT_PURGED: 'TENANT_PURGED',
  EXPORT_IN_PROGRESS: 'EXPORT_IN_PROGRESS',
  EXPORT_NOT_FOUND: 'EXPORT_NOT_FOUND',
  EXPORT_LINK_INVALID: 'EXPORT_LINK_INVALID',
  EXPORT_EXPIRED: 'EXPORT_EXPIRED',
  DELETION_NOT_CONFIRMED: 'DELETION_NOT_CONFIRMED',
  WEBHOOK_URL_FORBIDDEN: 'WEBHOOK_URL_FORBIDDEN',
  WEBHOOK_ENDPOINT_NOT_FOUND: 'WEBHOOK_ENDPOINT_NOT_FOUND',
  WEBHOOK_ENDPOINT_LIMIT: 'WEBHOOK_ENDPOINT_LIMIT',
  WEBHOOK_DELIVERY_NOT_FOUND: 'WEBHOOK_DELIVERY_NOT_FOUND',
  MAINTENANCE_WINDOW_NOT_FOUND: 'MAINTENANCE_WINDOW_NOT_FOUND',
  JOIN_NOT_ALLOWED: 'JOIN_NOT_ALLOWED',
  SSO_NOT_CONFIGURED: 'SSO_NOT_CONFIGURED',
  SSO_CONNECTION_DISABLED: 'SSO_CONNECTION_DISABLED',
  SSO_RETURN_TO_INVALID: 'SSO_RETURN_TO_INVALID',
  SSO_IDP_ERROR: 'SSO_IDP_ERROR',
  SSO_RESPONSE_INVALID: 'SSO_RESPONSE_INVALID',
  SSO_RESPONSE_EXPIRED: 'SSO_RESPONSE_EXPIRED',
  SSO_RESPONSE_TOO_LARGE: 'SSO_RESPONSE_TOO_LARGE',
  SSO_REQUEST_UNKNOWN: 'SSO_REQUEST_UNKNOWN',
  SSO_IDP_INITIATED_DISABLED: 'SSO_IDP_INITIATED_DISABLED',
  SSO_DOMAIN_MISMATCH: 'SSO_DOMAIN_MISMATCH',
  SSO_PROFILE_INCOMPLETE: 'SSO_PROFILE_INCOMPLETE',
  SSO_PLATFORM_ACCOUNT: 'SSO_PLATFORM_ACCOUNT',
  SSO_REQUIRED: 'SSO_REQUIRED',
  SSO_DOMAIN_IN_USE: 'SSO_DOMAIN_IN_USE',
  SSO_LINK_CONFIRMATION_REQUIRED: 'SSO_LINK_CONFIRMATION_REQUIRED',
  SSO_SESSION_TENANT_BOUND: 'SSO_SESSION_TENANT_BOUND',
  SEAT_LIMIT_REACHED: 'SEAT_LIMIT_REACHED',
  PLAN_NOT_FOUND: 'PLAN_NOT_FOUND',
  PLAN_EXISTS: 'PLAN_EXISTS',
  TRIAL_NOT_AVAILABLE: 'TRIAL_NOT_AVAILABLE',
  FEATURE_DISABLED: 'FEATURE_DISABLED',
  IMPORT_INVALID: 'IMPORT_INVALID',
  IMPORT_NOT_FOUND: 'IMPORT_NOT_FOUND',
  FEATURE_NOT_FOUND: 'FEATURE_NOT_FOUND',
  BILLING_MANUAL: 'BILLING_MANUAL',
  BILLING_UNAVAILABLE: 'BILLING_UNAVAILABLE',
  BILLING_REJECTED: 'BILLING_REJECTED',
  WEBHOOK_SIGNATURE_INVALID: 'WEBHOOK_SIGNATURE_INVALID',
  PLAN_NOT_PURCHASABLE: 'PLAN_NOT_PURCHASABLE',
  SUBSCRIPTION_EXISTS: 'SUBSCRIPTION_EXISTS',
  NO_SUBSCRIPTION: 'NO_SUBSCRIPTION',
  SEATS_BELOW_USE: 'SEATS_BELOW_USE',
  LICENSE_INACTIVE: 'LICENSE_INACTIVE',
  RATE_LIMITED: 'RATE_LIMITED',
  USAGE_LIMIT_REACHED: 'USAGE_LIMIT_REACHED',
  PLAN_LIMIT_REACHED: 'PLAN_LIMIT_REACHED',
  LICENSE_NOT_FOUND: 'LICENSE_NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  TENANT_REQUIRED: 'TENANT_REQUIRED',
  TENANT_NOT_FOUND: 'TENANT_NOT_FOUND',
  DATABASE_NOT_FOUND: 'DATABASE_NOT_FOUND',
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
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  TENANT_MOVING: 'TENANT_MOVING',
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
  REFRESH_TOKEN_REUSED: {
    status: 401,
    message: 'This session was signed out because its refresh token was used twice; sign in again.',
  },
  SESSION_NOT_FOUND: { status: 404, message: 'No such session.' },
  WRONG_PASSWORD: { status: 403, message: 'The current password is incorrect.' },
  NOT_A_MEMBER: { status: 403, message: 'You are not a member of that tenant.' },
  MEMBER_NOT_FOUND: { status: 404, message: 'No such member.' },
  LAST_OWNER: { status: 409, message: 'A tenant needs at least one owner: make someone else owner first.' },
  ALREADY_MEMBER: { status: 409, message: 'This person is already a member of the tenant.' },
  INVITATION_NOT_FOUND: { status: 404, message: 'No such pending invitation.' },
  INVITATION_INVALID: {
    status: 404,
    message: 'This invitation link is not valid (it may have been revoked or replaced by a newer one).',
  },
  INVITATION_EXPIRED: { status: 410, message: 'This invitation has expired; ask for a new one.' },
  INVITATION_USED: { status: 410, message: 'This invitation was already accepted; sign in instead.' },
  TOKEN_INVALID: { status: 400, message: 'This link is invalid, expired or already used; ask for a new one.' },
  API_KEY_INVALID: { status: 401, message: 'This API key is unknown, revoked or expired.' },
  API_KEY_NOT_FOUND: { status: 404, message: 'No such API key.' },
  DOMAIN_NOT_FOUND: { status: 404, message: 'No such domain.' },
  IMPERSONATION_FORBIDDEN: {
    status: 403,
    message: 'Not while impersonating: this action is reserved to the person themselves.',
  },
  CANNOT_IMPERSONATE: { status: 403, message: 'This person can not be impersonated.' },
  CONSENT_REQUIRED: {
    status: 403,
    message: 'This tenant requires an owner to approve impersonation first; a request was sent.',
  },
  IMPERSONATION_NOT_FOUND: { status: 404, message: 'No such impersonation request.' },
  SSO_CONNECTION_NOT_FOUND: { status: 404, message: 'No such single sign-on connection.' },
  SSO_METADATA_INVALID: { status: 422, message: 'The identity provider settings can not be used; see details.' },
  DOMAIN_ALREADY_CLAIMED: { status: 409, message: 'This tenant has already claimed that domain.' },
  DOMAIN_PUBLIC: { status: 422, message: 'Public email domains (like gmail.com) can not be claimed by a tenant.' },
  DOMAIN_NOT_VERIFIED: { status: 409, message: 'Verify the domain first.' },
  DOMAIN_TAKEN: { status: 409, message: 'Another workspace already uses that domain.' },
  DOMAIN_RESERVED: {
    status: 422,
    message: "That host name belongs to the platform itself; use one of your company's domains.",
  },
  CUSTOM_DOMAIN_LIMIT: { status: 409, message: 'A workspace can have at most 10 custom domains; remove one first.' },
  IMAGE_INVALID: { status: 422, message: 'That file is not a readable PNG, JPEG or WebP image.' },
  IMAGE_TYPE_UNSUPPORTED: {
    status: 415,
    message: 'Upload a PNG, JPEG or WebP image (SVG is refused: it can carry scripts).',
  },
  IMAGE_TOO_LARGE: { status: 413, message: 'Images can be at most 1 MB and 4096 × 4096 pixels.' },
  ASSET_NOT_FOUND: { status: 404, message: 'No such file.' },
  TENANT_PURGED: { status: 410, message: 'This tenant was deleted for good; its data is gone.' },
  EXPORT_IN_PROGRESS: {
    status: 409,
    message: 'An export of this workspace is already being made; wait for it to finish.',
  },
  EXPORT_NOT_FOUND: { status: 404, message: 'No such export.' },
  EXPORT_LINK_INVALID: { status: 403, message: 'This download link is not valid for this workspace.' },
  EXPORT_EXPIRED: { status: 410, message: 'This export has expired; request a new one.' },
  DELETION_NOT_CONFIRMED: { status: 422, message: "Type the workspace's address exactly to confirm its deletion." },
  WEBHOOK_URL_FORBIDDEN: { status: 422, message: 'Webhooks can only be sent to public https addresses.' },
  WEBHOOK_ENDPOINT_NOT_FOUND: { status: 404, message: 'No such webhook endpoint.' },
  WEBHOOK_ENDPOINT_LIMIT: { status: 409, message: 'This workspace has as many webhook endpoints as it can have (20).' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, message: 'No such webhook delivery.' },
  MAINTENANCE: { status: 503, message: 'Tenantry is down for maintenance; try again later.' },
  MAINTENANCE_WINDOW_NOT_FOUND: { status: 404, message: 'No such maintenance window.' },
  JOIN_NOT_ALLOWED: {
    status: 403,
    message:
      'You can not join this tenant by your email domain (confirm your email address first, or ask for an invitation).',
  },
  SSO_NOT_CONFIGURED: { status: 404, message: 'No enabled single sign-on connection serves that email domain here.' },
  SSO_CONNECTION_DISABLED: {
    status: 403,
    message: 'This single sign-on connection is turned off; ask your administrator.',
  },
  SSO_RETURN_TO_INVALID: {
    status: 400,
    message: 'The page to return to after signing in must be a page of this site.',
  },
  SSO_IDP_ERROR: {
    status: 401,
    message: 'Your identity provider did not sign you in; try again, or ask your administrator.',
  },
  SSO_RESPONSE_INVALID: {
    status: 401,
    message:
      'The answer from your identity provider could not be trusted, so you were not signed in; your administrator can see why in the audit log.',
  },
  SSO_RESPONSE_EXPIRED: { status: 401, message: 'The sign-in took too long (or a clock is off); start again.' },
  SSO_RESPONSE_TOO_LARGE: {
    status: 413,
    message:
      'The answer from your identity provider was too large or too complex to accept; your administrator can see why in the audit log.',
  },
  SSO_REQUEST_UNKNOWN: {
    status: 401,
    message: 'This sign-in was not started here or was already used; start again from the sign-in page.',
  },
  SSO_IDP_INITIATED_DISABLED: {
    status: 403,
    message: 'Sign-ins started at the identity provider are turned off here; start from the sign-in page.',
  },
  SSO_DOMAIN_MISMATCH: {
    status: 403,
    message: "Your email address's domain is not one this workspace accepts from that identity provider.",
  },
  SSO_PROFILE_INCOMPLETE: {
    status: 422,
    message:
      'Your identity provider did not send a usable email address; ask your administrator to check the attribute mapping.',
  },
  SSO_PLATFORM_ACCOUNT: {
    status: 403,
    message: 'Operator accounts sign in with their password, not through a workspace identity provider.',
  },
  SSO_REQUIRED: {
    status: 403,
    message: 'This workspace requires single sign-on for your email address: continue with SSO.',
  },
  SSO_LINK_CONFIRMATION_REQUIRED: {
    status: 403,
    message:
      'Your account already exists, so we emailed you a link to confirm it may be used through this identity provider. Open it, then sign in again.',
  },
  SSO_SESSION_TENANT_BOUND: {
    status: 403,
    message:
      "You signed in through another workspace's identity provider, which vouches for you there only: sign in to this workspace.",
  },
  SEAT_LIMIT_REACHED: {
    status: 402,
    message:
      'Every seat of your plan is taken: free one (remove a member or revoke an invitation) or move to a bigger plan.',
  },
  PLAN_NOT_FOUND: { status: 404, message: 'No such plan.' },
  BILLING_MANUAL: {
    status: 409,
    message: 'This workspace is billed manually: contact us to change its plan or seats.',
  },
  BILLING_UNAVAILABLE: {
    status: 503,
    message: 'The payment provider can not be reached right now; nothing was changed. Try again in a moment.',
  },
  BILLING_REJECTED: {
    status: 422,
    message: 'The payment provider refused this change (see details); nothing was changed.',
  },
  WEBHOOK_SIGNATURE_INVALID: { status: 400, message: 'The webhook signature is missing, invalid or too old.' },
  PLAN_NOT_PURCHASABLE: { status: 422, message: 'This plan can not be bought online; contact us.' },
  SUBSCRIPTION_EXISTS: {
    status: 409,
    message: 'This workspace already has a subscription: change its plan or seats instead.',
  },
  NO_SUBSCRIPTION: { status: 409, message: 'This workspace has no subscription yet: choose a plan first.' },
  SEATS_BELOW_USE: {
    status: 409,
    message: 'Fewer seats than people and pending invitations: remove someone first (see details).',
  },
  FEATURE_DISABLED: {
    status: 403,
    message: 'This feature is not available to this workspace (see details.feature); its plan or the operator decides.',
  },
  FEATURE_NOT_FOUND: { status: 404, message: 'No such feature.' },
  IMPORT_INVALID: {
    status: 422,
    message:
      'This file can not be imported (see details.reason): send a CSV of at most 5 MB and 50,000 rows with a header row that has a name column.',
  },
  IMPORT_NOT_FOUND: { status: 404, message: 'No such import.' },
  PLAN_EXISTS: { status: 409, message: 'A plan with that code exists already.' },
  TRIAL_NOT_AVAILABLE: {
    status: 409,
    message:
      'This workspace can not start that trial (see reason): a workspace tries a plan once, and not while a license sets its plan.',
  },
  LICENSE_INACTIVE: {
    status: 402,
    message:
      'This workspace is read-only because its license has expired or is suspended: everything can be read, nothing changed. An owner can renew it with us.',
  },
  LICENSE_NOT_FOUND: { status: 404, message: 'No such license.' },
  USAGE_LIMIT_REACHED: {
    status: 429,
    message:
      "This month's allowance of your plan is used up; it starts again on the date given (or move to a bigger plan).",
  },
  PLAN_LIMIT_REACHED: {
    status: 402,
    message: 'Your plan does not allow more of this this month; move to a bigger plan.',
  },
  RATE_LIMITED: {
    status: 429,
    message: "Too many requests for this workspace's plan; wait a moment (see Retry-After).",
  },
  SSO_DOMAIN_IN_USE: {
    status: 409,
    message: 'Another single sign-on connection of this workspace already serves that domain.',
  },
  DOMAIN_VERIFICATION_FAILED: {
    status: 422,
    message: 'The DNS record proving ownership was not found; add it and try again (DNS changes can take a while).',
  },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this.' },
  TENANT_REQUIRED: { status: 400, message: 'This request needs a tenant (subdomain or X-Tenant header).' },
  TENANT_NOT_FOUND: { status: 404, message: 'No such tenant.' },
  DATABASE_NOT_FOUND: {
    status: 404,
    message: 'No dedicated database of that name is registered (npm run tenant-db -- list).',
  },
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
  SHUTTING_DOWN: { status: 503, message: 'This server is restarting; send the request again.' },
  TENANT_MOVING: {
    status: 503,
    message:
      'This workspace is moving to another database: it is read-only for a moment. Send the change again shortly.',
  },
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
