import { type Operation, refName, resolve, type Schema } from './openapi-document.js';

/**
 * What a generated body names. In the control the caller's own tenant; in the
 * attack the victim's identifiers (ids, slug, member ids) with the caller's own
 * secrets: an attacker knows another tenant's ids, not its passwords or tokens.
 */
export interface BodyContext {
  tenant: { id: string; slug: string };
  /** A member (not the owner) of `tenant`: the person a body about "a user" names. */
  userId: string;
  /** The caller's own sign-in. */
  credentials: { email: string; password: string };
  /** One-time link tokens the caller holds (from its own mail). */
  tokens: { invitation: string; passwordReset: string; emailVerification: string; ssoLink: string };
  /** A plan that exists and no probe tenant is on. */
  planCode: string;
  /** PEM of an IdP signing certificate. */
  certificate: string;
}

let counter = 0;
/** A value no earlier call used: for unique fields (slugs, emails, domains, codes). */
const fresh = () => `${process.pid.toString(36)}${(++counter).toString(36)}${Date.now().toString(36).slice(-4)}`;

const NEW_PASSWORD = 'a long and unusual passphrase';

/**
 * Values a field's type and example cannot give: rows that must exist, values
 * that must be unique, secrets. By `Dto.field` first, then by field name.
 */
const FIELD_VALUES: Record<string, (c: BodyContext) => unknown> = {
  'LoginDto.email': (c) => c.credentials.email,
  'ForgotPasswordDto.email': (c) => c.credentials.email,
  'InvitationTokenDto.token': (c) => c.tokens.invitation,
  'AcceptInvitationDto.token': (c) => c.tokens.invitation,
  'AcceptInvitationDto.password': () => NEW_PASSWORD,
  'ResetPasswordDto.token': (c) => c.tokens.passwordReset,
  'EmailTokenDto.token': (c) => c.tokens.emailVerification,
  'SsoLinkConfirmDto.token': (c) => c.tokens.ssoLink,
  'IssueLicenseDto.plan': (c) => c.planCode,
  password: (c) => c.credentials.password,
  currentPassword: (c) => c.credentials.password,
  newPassword: () => NEW_PASSWORD,
  tenantId: (c) => c.tenant.id,
  userId: (c) => c.userId,
  tenant: (c) => c.tenant.slug,
  confirm: (c) => c.tenant.slug,
  email: () => `probe-${fresh()}@example.test`,
  ownerEmail: () => `probe-${fresh()}@example.test`,
  slug: () => `probe-${fresh()}`,
  code: () => `probe-${fresh()}`,
  domain: () => `probe-${fresh()}.example`,
  hostname: () => `app.probe-${fresh()}.example`,
  name: () => `probe ${fresh()}`,
  displayName: () => 'Probe Person',
  idpEntityId: () => `https://idp.example.test/${fresh()}`,
  idpSsoUrl: () => 'https://idp.example.test/sso',
  idpCertificate: (c) => c.certificate,
  domains: () => [],
  // Loopback, where nothing listens: the probe's app allows the address, and a delivery fails at once.
  url: () => 'http://127.0.0.1:9/probe',
  reason: () => 'Support ticket #4242 (isolation probe)',
  // A weekly maintenance window three days away: never open while the probe runs.
  dayOfWeek: () => (new Date().getUTCDay() + 3) % 7,
  // Left out: a tenant created in the shared database (no dedicated one is registered).
  database: () => undefined,
};

/** The value a field takes: its rule, else its example, default, first enum value or a value of its type. */
function valueOf(raw: Schema, field: string, dto: string, c: BodyContext, required: boolean): unknown {
  const rule = FIELD_VALUES[`${dto}.${field}`] ?? FIELD_VALUES[field];
  if (rule) return rule(c);
  const schema = raw.allOf?.length === 1 ? resolve(raw.allOf[0]) : resolve(raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  // An optional field with nothing to say what fits it is left out.
  if (!required) return undefined;
  switch (schema.type ?? 'object') {
    case 'string':
      return schema.format === 'uuid' ? c.tenant.id : 'probe'.padEnd(schema.minLength ?? 0, '-');
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false; // the switch left off: maintenance not started, a feature not killed
    case 'array':
      return schema.items && resolve(schema.items).enum ? [resolve(schema.items).enum![0]] : [];
    default:
      return schema.properties ? objectOf(schema, raw.$ref ? refName(raw) : dto, c) : null;
  }
}

function objectOf(schema: Schema, dto: string, c: BodyContext): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
    const value = valueOf(fieldSchema, field, dto, c, schema.required?.includes(field) ?? false);
    if (value !== undefined) body[field] = value;
  }
  return body;
}

/** A body the route's DTO accepts, naming the context's rows; undefined for a route without a JSON body. */
export function validBody(operation: Operation | undefined, c: BodyContext): Record<string, unknown> | undefined {
  const schema = operation?.requestBody?.content['application/json']?.schema;
  if (!schema) return undefined;
  return objectOf(resolve(schema), schema.$ref ? refName(schema) : 'Body', c);
}

/** The file a multipart route uploads, by its path: an image for branding, a CSV for imports. */
export function validUpload(
  operation: Operation | undefined,
  path: string,
): { field: string; content: Buffer; name: string } | undefined {
  const schema = operation?.requestBody?.content['multipart/form-data']?.schema;
  if (!schema) return undefined;
  const field = Object.keys(resolve(schema).properties ?? {})[0] ?? 'file';
  return path.includes('import')
    ? { field, content: Buffer.from('name,email\nProbe Person,probe@example.test\n'), name: 'contacts.csv' }
    : { field, content: PNG_1X1, name: 'logo.png' };
}

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
