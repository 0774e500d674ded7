import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { isIP } from 'node:net';
import {
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
} from 'class-validator';

/** Express's `trust proxy`: off, every hop (`true`), the number of proxy hops, or the proxies' addresses. */
export type TrustProxy = boolean | number | string[];

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyAddress = (entry: string) => {
  const [ip, bits, ...rest] = entry.split('/');
  const version = isIP(ip);
  return (
    PROXY_NAMES.includes(entry) ||
    (version > 0 &&
      rest.length === 0 &&
      (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128))))
  );
};

/** TRUST_PROXY's value for Express, or null when it is none of the documented forms. */
export function parseTrustProxy(raw: string): TrustProxy | null {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim());
  return entries.every(isProxyAddress) ? entries : null;
}

const IsTrustProxy = () =>
  ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value) => typeof value === 'string' && parseTrustProxy(value) !== null,
      defaultMessage: () =>
        'TRUST_PROXY must be false, the number of proxies in front of the API (1 behind one), or a comma-separated list of their addresses or CIDRs (loopback, 10.0.0.0/8)',
    },
  });

/** Every environment variable the API reads, with its default. */
export class Environment {
  @IsEnum(['development', 'production', 'test']) NODE_ENV: 'development' | 'production' | 'test' = 'development';
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) PORT = 3000;
  @IsString() HOST = '127.0.0.1';
  @IsString()
  @Matches(/^[a-z0-9.-]+$/, { message: 'BASE_DOMAIN must be a host name like localhost or example.com' })
  BASE_DOMAIN = 'localhost';
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://tenantry_app:tenantry_app@127.0.0.1:5432/tenantry';
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_OWNER_URL must be a postgres:// URL' })
  DATABASE_OWNER_URL = 'postgres://tenantry_owner:tenantry_owner@127.0.0.1:5432/tenantry';
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_PLATFORM_URL must be a postgres:// URL' })
  DATABASE_PLATFORM_URL = 'postgres://tenantry_platform:tenantry_platform@127.0.0.1:5432/tenantry';
  @Type(() => Number) @IsInt() @Min(1) @Max(500) DATABASE_POOL_MAX = 20;
  @Type(() => Number) @IsInt() @Min(100) DATABASE_POOL_TIMEOUT_MS = 3000;
  /** Seals dedicated databases' connection settings at rest (npm run tenant-db); needed once one is registered. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'DATABASE_SECRETS_KEY must be at least 32 characters' })
  DATABASE_SECRETS_KEY?: string;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' }) REDIS_URL = 'redis://127.0.0.1:6379';
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 letters, digits or _.:-' })
  REDIS_KEY_PREFIX = 'tenantry:';

  @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' }) JWT_SECRET: string;
  @IsString() JWT_ISSUER = 'tenantry';
  @IsString() JWT_AUDIENCE = 'tenantry-api';
  @Type(() => Number) @IsInt() @Min(60) @Max(900) JWT_TTL_SECONDS = 900;
  @Type(() => Number) @IsInt() @Min(1) @Max(90) SESSION_TTL_DAYS = 30;
  @Type(() => Number) @IsInt() @Min(0) @Max(10) REFRESH_GRACE_SECONDS = 10;
  @Type(() => Number) @IsInt() @Min(1) LOGIN_MAX_FAILURES_PER_ACCOUNT = 10;
  @Type(() => Number) @IsInt() @Min(1) LOGIN_MAX_FAILURES_PER_IP = 100;
  /** Signups (to create or to join a workspace) allowed an hour per address of origin, whatever the email. */
  @Type(() => Number) @IsInt() @Min(1) SIGNUP_MAX_PER_IP = 20;
  /** SSO sign-in starts and ACS posts (each counts one) allowed a minute per address; responses that get parsed, per connection from anywhere. */
  @Type(() => Number) @IsInt() @Min(1) SSO_MAX_REQUESTS_PER_IP = 60;
  @Type(() => Number) @IsInt() @Min(1) SSO_MAX_REQUESTS_PER_CONNECTION = 600;

  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' }) SMTP_URL =
    'smtp://127.0.0.1:1025';
  @IsString() @MinLength(3) MAIL_FROM = 'Tenantry <no-reply@tenantry.localhost>';
  @Matches(/^https?:\/\/[^/]+$/, { message: 'PUBLIC_URL must be an origin like https://example.com (no path)' })
  PUBLIC_URL = 'http://localhost:3000';

  @IsOptional()
  @Matches(/^[0-9a-fA-F.:[\]]+(,[0-9a-fA-F.:[\]]+)*$/, {
    message: 'DNS_SERVERS must be a comma-separated list of IP[:port]',
  })
  DNS_SERVERS?: string;

  /** Where tenants' custom domains point (CNAME); default `edge.<BASE_DOMAIN>`. */
  @IsOptional()
  @Matches(/^[a-z0-9.-]+$/, { message: 'CUSTOM_DOMAIN_TARGET must be a host name like edge.example.com' })
  CUSTOM_DOMAIN_TARGET?: string;
  /** Days a deleted tenant can be restored before the purge job empties it. */
  @Type(() => Number) @IsInt() @Min(0) @Max(365) TENANT_PURGE_GRACE_DAYS = 30;
  /** Uploaded files (tenants' logos …) for the local-disk storage. */
  @IsString() DATA_DIR = 'data';

  /** Outbound webhooks: the first retry's delay (each next one doubles; 12 attempts span about a day), and each attempt's timeout. */
  @Type(() => Number) @IsInt() @Min(10) WEBHOOK_RETRY_BASE_MS = 45_000;
  @Type(() => Number) @IsInt() @Min(100) @Max(60_000) WEBHOOK_TIMEOUT_MS = 10_000;
  /** Addresses webhooks may reach although they are private (an on-premises receiver; the tests' loopback receiver). */
  @IsOptional()
  @Matches(/^[0-9a-fA-F.:]+(,[0-9a-fA-F.:]+)*$/, {
    message: 'WEBHOOK_ALLOWED_ADDRESSES must be a comma-separated list of IP addresses',
  })
  WEBHOOK_ALLOWED_ADDRESSES?: string;
  /** What this instance runs (a tag or commit); the console lists running versions. */
  @IsString()
  @Matches(/^[\w.+-]{1,64}$/, { message: 'RELEASE_VERSION must be 1-64 letters, digits or ._+- (a tag or commit)' })
  RELEASE_VERSION = 'dev';
  @IsOptional() @IsString() WEB_DIST?: string;
  /** On SIGTERM: how long the instance keeps serving while its health check tells balancers it is leaving. */
  @Type(() => Number) @IsInt() @Min(0) @Max(60_000) SHUTDOWN_DELAY_MS = 5_000;
  /** Then: how long in-flight requests and running jobs may take to finish before the process exits anyway. */
  @Type(() => Number) @IsInt() @Min(0) @Max(120_000) SHUTDOWN_GRACE_MS = 20_000;
  /** PEM Ed25519 private key that signs license keys; without it, a key made at start (keys then verify only until a restart). */
  @IsOptional()
  @Matches(/BEGIN PRIVATE KEY/, {
    message: 'LICENSE_SIGNING_KEY must be a PEM private key (npm run license -- keygen)',
  })
  LICENSE_SIGNING_KEY?: string;
  /**
   * Which X-Forwarded-For entries to believe: the hop count, or the proxies' addresses (the client's is the
   * last entry no trusted proxy wrote). `true` believes the left-most entry, which the client writes itself.
   */
  @IsTrustProxy() TRUST_PROXY = 'false';

  /** Stripe mode when set (sk_test_… / sk_live_…); manual billing without it. */
  @IsOptional()
  @Matches(/^(sk|rk)_(test|live)_\w+$/, { message: 'STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_…)' })
  STRIPE_SECRET_KEY?: string;
  @IsOptional()
  @Matches(/^whsec_\w+$/, { message: 'STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)' })
  STRIPE_WEBHOOK_SECRET?: string;
  /** Another Stripe API address (a local Stripe-compatible server in tests): its origin only. */
  @IsOptional()
  @Matches(/^https?:\/\/[^/]+$/, { message: 'STRIPE_API_URL must be an origin like http://127.0.0.1:12111' })
  STRIPE_API_URL?: string;
  @Type(() => Number) @IsInt() @Min(100) @Max(120_000) STRIPE_TIMEOUT_MS = 20_000;
  @Type(() => Number) @IsInt() @Min(0) @Max(5) STRIPE_MAX_RETRIES = 2;

  /** `npm start`'s demo identity provider (the seed's SSO connection points at it) and local billing test mode. */
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) DEMO_IDP_PORT = 3001;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) DEMO_BILLING_PORT = 3002;
}

/** The validated configuration, in slices each module reads on its own. */
export interface AppConfig {
  env: Environment['NODE_ENV'];
  http: {
    port: number;
    host: string;
    trustProxy: TrustProxy;
    webDist?: string;
    shutdownDelayMs: number;
    shutdownGraceMs: number;
  };
  log: { level: string };
  tenancy: { baseDomain: string; publicUrl: string; customDomainTarget: string };
  storage: { dataDir: string };
  lifecycle: { purgeGraceDays: number };
  release: { version: string };
  /** `allowHttp`: plain http endpoints (everywhere but production). */
  webhooks: { retryBaseMs: number; timeoutMs: number; allowedAddresses: string[]; allowHttp: boolean };
  mail: { smtpUrl: string; from: string };
  /** Resolvers for domain verification; the system's when empty. */
  dns: { servers: string[] };
  licensing: { signingKey: string | null };
  /** Stripe mode when `secretKey` is set. */
  billing: {
    secretKey: string | null;
    webhookSecret: string | null;
    apiUrl: string | null;
    timeoutMs: number;
    maxRetries: number;
  };
  database: {
    url: string;
    ownerUrl: string;
    platformUrl: string;
    poolMax: number;
    poolTimeoutMs: number;
    secretsKey?: string;
  };
  redis: { url: string; keyPrefix: string };
  auth: {
    jwtSecret: string;
    issuer: string;
    audience: string;
    ttlSeconds: number;
    sessionTtlDays: number;
    refreshGraceSeconds: number;
    /** Failed logins allowed per account (any address) and per address (any account) in a 15-minute window. */
    maxFailuresPerAccount: number;
    maxFailuresPerIp: number;
    /** Signups allowed an hour per address of origin. */
    maxSignupsPerIp: number;
    /** Refresh cookie marked Secure (everywhere but development and test, which run on plain HTTP). */
    secureCookies: boolean;
  };
  /** Sign-in starts and ACS posts allowed a minute, per address and per connection. */
  sso: { maxRequestsPerIp: number; maxRequestsPerConnection: number };
  /** Read by `npm start` and the seed only (the demo's services on loopback), never by the API. */
  demo: { idpPort: number; billingPort: number };
}

/** Validates raw variables; throws one error listing every bad variable. */
export function loadConfig(raw: Record<string, unknown> = process.env): AppConfig {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  - ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return {
    env: env.NODE_ENV,
    http: {
      port: env.PORT,
      host: env.HOST,
      trustProxy: parseTrustProxy(env.TRUST_PROXY)!,
      webDist: env.WEB_DIST,
      shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    },
    log: { level: env.LOG_LEVEL },
    tenancy: {
      baseDomain: env.BASE_DOMAIN,
      publicUrl: env.PUBLIC_URL,
      customDomainTarget: env.CUSTOM_DOMAIN_TARGET ?? `edge.${env.BASE_DOMAIN}`,
    },
    storage: { dataDir: env.DATA_DIR },
    lifecycle: { purgeGraceDays: env.TENANT_PURGE_GRACE_DAYS },
    release: { version: env.RELEASE_VERSION },
    webhooks: {
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      allowedAddresses: env.WEBHOOK_ALLOWED_ADDRESSES?.split(',').filter(Boolean) ?? [],
      allowHttp: env.NODE_ENV !== 'production',
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    dns: { servers: env.DNS_SERVERS ? env.DNS_SERVERS.split(',') : [] },
    licensing: { signingKey: env.LICENSE_SIGNING_KEY?.replace(/\\n/g, '\n') ?? null },
    billing: {
      secretKey: env.STRIPE_SECRET_KEY ?? null,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? null,
      apiUrl: env.STRIPE_API_URL ?? null,
      timeoutMs: env.STRIPE_TIMEOUT_MS,
      maxRetries: env.STRIPE_MAX_RETRIES,
    },
    database: {
      url: env.DATABASE_URL,
      ownerUrl: env.DATABASE_OWNER_URL,
      platformUrl: env.DATABASE_PLATFORM_URL,
      poolMax: env.DATABASE_POOL_MAX,
      poolTimeoutMs: env.DATABASE_POOL_TIMEOUT_MS,
      secretsKey: env.DATABASE_SECRETS_KEY,
    },
    redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
    auth: {
      jwtSecret: env.JWT_SECRET,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      ttlSeconds: env.JWT_TTL_SECONDS,
      sessionTtlDays: env.SESSION_TTL_DAYS,
      refreshGraceSeconds: env.REFRESH_GRACE_SECONDS,
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
      maxSignupsPerIp: env.SIGNUP_MAX_PER_IP,
      secureCookies: env.NODE_ENV === 'production',
    },
    sso: {
      maxRequestsPerIp: env.SSO_MAX_REQUESTS_PER_IP,
      maxRequestsPerConnection: env.SSO_MAX_REQUESTS_PER_CONNECTION,
    },
    demo: { idpPort: env.DEMO_IDP_PORT, billingPort: env.DEMO_BILLING_PORT },
  };
}
