import type { ApiKeyScope, PlatformRole, TenantRole } from './roles.js';

export const TENANT_STATUSES = ['trial', 'active', 'suspended', 'cancelled'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** A UUID in its canonical text form (any version). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Lower-case letters, digits and inner hyphens; usable as a DNS label. Never
 * shaped like a UUID, so a slug can not be mistaken for another tenant's id.
 */
export const SLUG_PATTERN = new RegExp(`^(?!${UUID_PATTERN.source.slice(1, -1)}$)[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$`);

/** Addresses no tenant can take: the platform's own subdomains. */
export const RESERVED_SLUGS = [
  'www',
  'api',
  'app',
  'admin',
  'platform',
  'mail',
  'smtp',
  'static',
  'assets',
  'cdn',
  'docs',
  'status',
  'billing',
  'support',
  'help',
  'login',
  'auth',
  'signup',
  'localhost',
] as const;

/** The industries the signup wizard offers. */
export const INDUSTRIES = [
  'Software',
  'Agency & consulting',
  'E-commerce & retail',
  'Finance',
  'Health',
  'Education',
  'Manufacturing',
  'Media',
  'Non-profit',
  'Public sector',
  'Real estate',
  'Other',
] as const;

/** The primary color of the platform, and of a tenant that has not chosen one. */
export const DEFAULT_PRIMARY_COLOR = '#4f46e5';
/** The secondary (accent) color of the platform, and of a tenant that has not chosen one. */
export const DEFAULT_SECONDARY_COLOR = '#0f172a';

/** Header that names a tenant when no subdomain does. */
export const TENANT_HEADER = 'x-tenant';

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
}

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  platformRole: PlatformRole;
  emailVerified: boolean;
}

export interface AuthTokenResponse {
  accessToken: string;
  expiresIn: number;
  tenant: TenantSummary | null;
  role: TenantRole | null;
  user: SessionUser;
  /** The tenant's license expired or is suspended: its data can be read, not changed (as of this token). */
  readOnly: boolean;
  /** Present when a super admin acts as `user` (support): who, why, until when. No refresh. */
  impersonation?: ImpersonationInfo;
}

export interface ImpersonationInfo {
  id: string;
  actor: { id: string; email: string };
  reason: string;
  expiresAt: string;
}

export interface MeResponse {
  user: SessionUser;
  tenant: TenantSummary | null;
  role: TenantRole | null;
}

/**
 * `GET /api/branding` (public, by Host): what the SPA paints with. A tenant
 * without the `custom_branding` feature (or without settings) gets the
 * platform's colors under its own name.
 */
export interface BrandingResponse {
  tenant: TenantSummary | null;
  name: string;
  primaryColor: string;
  /** Black or white: whichever reads best on the primary color. */
  onPrimaryColor: string;
  secondaryColor: string;
  onSecondaryColor: string;
  logoUrl: string | null;
  faviconUrl: string | null;
  /** The sign-in page's background image. */
  backgroundUrl: string | null;
  welcomeMessage: string | null;
  footerText: string | null;
  /** Custom properties for `:root` (`--brand-primary`, `--brand-on-primary`, …). */
  cssVariables: Record<string, string>;
}

/** Images a tenant can upload for its branding. */
export const BRANDING_ASSETS = ['logo', 'favicon', 'background'] as const;
export type BrandingAsset = (typeof BRANDING_ASSETS)[number];

/** The tenant's own branding settings (null: the default). */
export interface BrandingSettings {
  displayName: string | null;
  primaryColor: string | null;
  secondaryColor: string | null;
  welcomeMessage: string | null;
  footerText: string | null;
  /** Sender name of the tenant's emails ("<name> via Tenantry" otherwise). */
  emailFromName: string | null;
  /** The button and header color of the tenant's emails (the primary color otherwise). */
  emailColor: string | null;
  logoUrl: string | null;
  faviconUrl: string | null;
  backgroundUrl: string | null;
  updatedAt: string | null;
}

export interface Contact {
  id: string;
  name: string;
  email: string | null;
  company: string | null;
  tags: string[];
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

export const CONTACT_SORTS = ['created', 'name'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

/** A page of a keyset-paginated list: pass `nextCursor` back as `cursor`. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface MyTenant {
  tenant: TenantSummary;
  role: TenantRole;
}

/** A signed-in device: one refresh-token family. */
export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  /** The session the request was made with. */
  current: boolean;
}

export interface Member {
  id: string;
  userId: string;
  email: string;
  displayName: string;
  role: TenantRole;
  joinedAt: string;
}

export const AUDIT_ACTIONS = [
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.logout',
  'auth.logout_all',
  'auth.session_revoked',
  'auth.refresh_reused',
  'auth.password_changed',
  'member.role_changed',
  'member.removed',
  'member.left',
  'invitation.sent',
  'invitation.revoked',
  'invitation.accepted',
  'auth.password_reset_requested',
  'auth.password_reset',
  'api_key.created',
  'api_key.revoked',
  'domain.claimed',
  'domain.verified',
  'domain.removed',
  'impersonation.requested',
  'impersonation.approved',
  'impersonation.denied',
  'impersonation.started',
  'impersonation.request',
  'impersonation.ended',
  'sso.connection_created',
  'sso.connection_updated',
  'sso.connection_deleted',
  'sso.account_link_requested',
  'sso.account_linked',
  'domain.auto_join_changed',
  'member.joined',
  'auth.sso_login_succeeded',
  'auth.sso_login_failed',
  'member.provisioned',
  'domain.sso_required_changed',
  'tenant.plan_changed',
  'license.issued',
  'license.renewed',
  'license.suspended',
  'license.revoked',
  'license.expired',
  'plan.trial_started',
  'plan.trial_ended',
  'billing.subscription_changed',
  'billing.payment_failed',
  'feature.override_changed',
  'custom_domain.added',
  'custom_domain.verified',
  'custom_domain.removed',
  'custom_domain.dns_missing',
  'custom_domain.dns_restored',
  'custom_domain.unverified',
  'branding.updated',
  'branding.reset',
  'tenant.suspended',
  'tenant.reactivated',
  'tenant.deleted',
  'tenant.restored',
  'tenant.renamed',
  'tenant.support_consent_changed',
  'export.requested',
  'export.completed',
  'export.downloaded',
  'tenant.deletion_requested',
  'webhook.endpoint_created',
  'webhook.endpoint_updated',
  'webhook.endpoint_deleted',
  'webhook.secret_rotated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One entry of a tenant's append-only audit log. */
export interface AuditEvent {
  id: string;
  action: AuditAction;
  actor: { userId: string | null; label: string | null };
  /** Set when a super admin acted as this person (impersonation): `actor` is the super admin. */
  onBehalfOf: { userId: string; label: string | null } | null;
  target: { type: string; id: string | null; label: string | null } | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: TenantRole;
  invitedBy: string | null;
  createdAt: string;
  sentAt: string;
  expiresAt: string;
  /** pending until accepted or revoked; expired when its link no longer works. */
  status: 'pending' | 'expired';
}

/** What an invitation link shows before it is accepted. */
export interface InvitationPreview {
  tenant: TenantSummary;
  email: string;
  role: TenantRole;
  expiresAt: string;
  /** The address already has an account: accept by signing in with its password. */
  existingUser: boolean;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it: `tk_live_ab12cd`. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  status: 'active' | 'expired';
}

/** The answer to creating a key: the only time its secret is shown. */
export interface CreatedApiKey {
  apiKey: ApiKeyInfo;
  secret: string;
}

/** A domain a tenant claims; verified once a DNS TXT record proves it controls it. */
export interface VerifiedDomain {
  id: string;
  domain: string;
  status: 'pending' | 'verified';
  /** The TXT record to publish: at `name`, the exact `value`. */
  dnsRecord: { type: 'TXT'; name: string; value: string };
  createdAt: string;
  verifiedAt: string | null;
  /** People with a confirmed email on this domain may join the tenant (as members). */
  autoJoin: boolean;
  lastCheckedAt: string | null;
  /** Why the last check failed, in plain words. */
  lastCheckError: string | null;
  /** Password sign-in and invitations are refused for this domain's emails (while an enabled connection serves it). */
  ssoRequired: boolean;
}

/** Lower-case DNS name with at least two labels, e.g. `example.com`. */
export const DOMAIN_PATTERN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A host name of the tenant's own (`app.acme.com`) serving its workspace. It
 * routes to the tenant once verified by a TXT record; a daily check flags it
 * `failing` when the record disappears, and un-verifies it after a grace period.
 */
export interface CustomDomain {
  id: string;
  hostname: string;
  status: 'pending' | 'verified' | 'failing';
  /** The TXT record to publish: at `name`, the exact `value`. */
  dnsRecord: { type: 'TXT'; name: string; value: string };
  /** Point the host name here (CNAME) so requests reach the platform's edge. */
  cnameTarget: string;
  createdAt: string;
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  /** Why the last check failed, in plain words. */
  lastCheckError: string | null;
  /** While `failing`: when the domain stops routing unless the record is back. */
  unverifiesAt: string | null;
}

/** A weekly maintenance window, in the wall-clock time of its time zone (e.g. Sundays 02:00 for 4 hours, Europe/Berlin). */
export interface MaintenanceWindow {
  id: string;
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  /** `HH:MM`, 24-hour. */
  startTime: string;
  durationMinutes: number;
  timeZone: string;
  message: string | null;
  createdAt: string;
}

/** `GET /api/maintenance` (public): whether the platform is in maintenance now, and what is planned. */
export interface MaintenanceStatus {
  active: boolean;
  /** `manual`: switched on by an operator; `window`: a scheduled window is running. */
  source: 'manual' | 'window' | null;
  message: string | null;
  /** When it is expected to end (null: until switched off). */
  endsAt: string | null;
  /** The next occurrence of each scheduled window, soonest first. */
  upcoming: { startsAt: string; endsAt: string; message: string | null }[];
}

/** A deleted tenant the console can still restore until `purgeAfter`, when the purge job empties it for good. */
export interface DeletedTenant {
  id: string;
  slug: string;
  name: string;
  deletedAt: string;
  purgeAfter: string;
}

/** A tenant as the platform console lists it. */
export interface PlatformTenant {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  /** Why it is suspended (its people see this). */
  suspendedReason: string | null;
  impersonationConsentRequired: boolean;
}

export const PLATFORM_TENANT_SORTS = ['name', 'created', 'members'] as const;
export type PlatformTenantSort = (typeof PLATFORM_TENANT_SORTS)[number];

/** A row of the console's tenant list. */
export interface PlatformTenantRow extends PlatformTenant {
  plan: string;
  createdAt: string;
  members: number;
  /** The first owner's email (null while the owner's invitation is open). */
  ownerEmail: string | null;
  /** The dedicated database holding its rows (enterprise isolation); null: the shared one. */
  database: string | null;
}

/** A registered dedicated database (enterprise isolation), as the console lists it: never its credentials. */
export interface DedicatedDatabase {
  id: string;
  name: string;
  /** host:port/database */
  server: string;
  /** Live tenants whose rows it holds. */
  tenants: number;
  createdAt: string;
}

/** A page of the console's tenant list, with how many tenants match in all. */
export interface PlatformTenantPage extends Page<PlatformTenantRow> {
  total: number;
}

/** One tenant as the console's detail tabs show it, read in the tenant's own transaction (the same services its admins use). */
export interface PlatformTenantDetail {
  tenant: PlatformTenantRow;
  /** Where its people sign in. */
  url: string;
  plan: TenantPlan;
  features: TenantFeatures;
  branding: BrandingSettings;
  domains: VerifiedDomain[];
  customDomains: CustomDomain[];
  sso: SsoConnection[];
  /** Open invitations (e.g. the owner's, for a tenant the console created). */
  invitations: Invitation[];
}

/** What the console answers when it creates a tenant: the tenant and the owner's invitation. */
export interface CreatedTenant {
  tenant: PlatformTenantRow;
  invitation: Invitation;
}

/** One entry of the platform's own audit log: what a super admin (or a platform job) did, to which tenant or catalog. */
export interface PlatformAuditEvent {
  id: string;
  action: string;
  actor: { userId: string | null; label: string | null };
  subject: { type: string | null; id: string | null; label: string | null };
  metadata: Record<string, unknown>;
  createdAt: string;
}

/** An amount of money per currency (smallest unit), e.g. MRR. */
export interface MoneyByCurrency {
  currency: string;
  amount: number;
}

/** The console's overview of the platform, computed through the platform data path and cached for a minute. */
export interface PlatformStats {
  computedAt: string;
  tenants: {
    /** Live tenants (not deleted). */
    total: number;
    byStatus: Record<TenantStatus, number>;
    byPlan: { plan: string; name: string; tenants: number }[];
  };
  /** People with a membership in a live tenant; active: used a session in the last 7 / 30 days. */
  users: { total: number; active7d: number; active30d: number };
  revenue: {
    /** Stripe subscriptions (active, past due) plus list prices of active tenants billed by hand. */
    mrr: MoneyByCurrency[];
    payingTenants: number;
    /** Tenants that left in the last 30 days (deleted, or their subscription canceled), and their share of the tenants there were 30 days ago. */
    churn30d: { tenants: number; rate: number };
  };
  /** The last 12 months: tenants created, deleted, and live at the month's end. */
  growth: { month: string; created: number; deleted: number; total: number }[];
  /** Daily snapshots (the stats job) of the last 90 days. */
  history: { day: string; tenants: number; payingTenants: number; mrr: MoneyByCurrency[] }[];
  /** Live tenants that have each feature, and their share. */
  featureAdoption: { feature: FeatureCode; tenants: number; share: number }[];
  /** Tenants at 80 % or more of a limit (from the limit check every 10 minutes). */
  nearLimits: number;
}

/** An API instance as it recorded itself: what it runs, where, since when, and its last heartbeat. */
export interface ApiInstance {
  id: string;
  version: string;
  hostname: string;
  pid: number;
  startedAt: string;
  lastSeenAt: string;
  /** When it shut down cleanly; null while running (or if it died: then its heartbeat stops). */
  stoppedAt: string | null;
  running: boolean;
}

/** The console's releases: instances running now, the versions seen (newest first) and recent instances. */
export interface Releases {
  running: ApiInstance[];
  versions: { version: string; firstStartedAt: string; lastSeenAt: string; instances: number; running: number }[];
  recent: ApiInstance[];
}

/** An export of a tenant's data (owners): a zip of every tenant table as NDJSON plus its files, made by a job. */
export interface DataExport {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'expired';
  /** Rows to write in all, and written so far (the progress bar). */
  totalRows: number;
  processedRows: number;
  sizeBytes: number | null;
  requestedBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** The download link stops working then (24 h after the export is made). */
  expiresAt: string | null;
  /** A signed link, while the export can be downloaded. */
  downloadUrl: string | null;
  error: string | null;
}

/** Events a tenant's webhook endpoints can subscribe to (`webhook.ping` is sent on request only). */
export const WEBHOOK_EVENTS = [
  'member.added',
  'member.updated',
  'member.removed',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'subscription.changed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Where a tenant's events are POSTed, signed with its secret (HMAC-SHA256 of `<timestamp>.<body>`). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEvent[];
  enabled: boolean;
  /** The secret's last characters, to tell secrets apart. */
  secretHint: string;
  /** The whole secret: only in the answer that made it (creation, rotation). */
  secret?: string;
  createdAt: string;
}

/** One event sent to one endpoint: its attempts and the receiver's last answer. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  event: WebhookEvent | 'webhook.ping';
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  /** The receiver's HTTP status of the last attempt (null: no answer). */
  responseStatus: number | null;
  /** Why the last attempt failed, in plain words. */
  error: string | null;
  durationMs: number | null;
  createdAt: string;
  lastAttemptAt: string | null;
  /** When the next retry goes out (exponential backoff over about a day). */
  nextAttemptAt: string | null;
  payload: Record<string, unknown>;
}

/**
 * What the realtime channel (Socket.io at `/api/realtime`) tells a signed-in
 * app: each event reaches only its tenant's sockets (maintenance: everyone's).
 */
export interface RealtimeEvents {
  'contacts.changed': { id: string; change: 'created' | 'updated' | 'deleted' };
  'members.changed': { userId: string; change: 'added' | 'updated' | 'removed' };
  'export.progress': Pick<DataExport, 'id' | 'status' | 'processedRows' | 'totalRows'>;
  'maintenance.changed': { active: boolean };
}
export type RealtimeEvent = keyof RealtimeEvents;

/** A member of a tenant as the platform console lists it (for impersonation). */
export interface PlatformMember {
  userId: string;
  email: string;
  displayName: string;
  role: TenantRole;
  platformRole: PlatformRole;
}

/** An impersonation of a tenant's user by a super admin, from request to end. */
export interface Impersonation {
  id: string;
  tenant: TenantSummary;
  actor: { id: string; email: string };
  user: { id: string; email: string };
  reason: string;
  status: 'requested' | 'approved' | 'denied' | 'active' | 'ended';
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** Which SAML attributes hold the profile (the email defaults to the NameID). */
export interface SsoAttributeMapping {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  groups: string | null;
}

/** A tenant's SAML identity provider, and what to give that IdP about us. */
export interface SsoConnection {
  id: string;
  name: string;
  enabled: boolean;
  idp: { entityId: string; ssoUrl: string; certificates: { subject: string; validTo: string }[] };
  defaultRole: TenantRole;
  attributeMapping: SsoAttributeMapping;
  /** A group named in the `groups` attribute gives this role (first match wins; else the default role). */
  groupRoles: { group: string; role: TenantRole }[];
  allowIdpInitiated: boolean;
  /** Verified domains this IdP signs people in for: an email's domain picks the connection, and profiles of other domains are refused. */
  domains: string[];
  /** For the IdP administrator. */
  serviceProvider: { entityId: string; acsUrl: string; metadataUrl: string; nameIdFormat: string };
  createdAt: string;
  updatedAt: string;
}

/** Usage metrics with monthly limits. */
export const USAGE_METRICS = ['api_calls', 'contacts'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/**
 * The feature-flag catalog. A tenant has a feature when (first that decides):
 * the global kill switch is off for it → no; a tenant override → its value;
 * the tenant's plan includes it → yes; a rollout percentage → the tenant's
 * stable bucket; else the default here.
 */
export const FEATURES = {
  api_access: { description: 'API keys: create them and call the API with them', default: true },
  sso: { description: 'SAML single sign-on', default: false },
  custom_domains: { description: "The tenant's own domains", default: false },
  custom_branding: { description: 'White-label branding', default: false },
  audit_export: { description: 'Export of the audit log', default: false },
  'contacts.import': { description: 'CSV import of contacts', default: false },
} as const satisfies Record<string, { description: string; default: boolean }>;
export type FeatureCode = keyof typeof FEATURES;
export const FEATURE_CODES = Object.keys(FEATURES) as FeatureCode[];

/** Capabilities a plan can include: the feature codes. */
export const PLAN_FEATURES = FEATURE_CODES;
export type PlanFeature = FeatureCode;

/** What decided a feature for a tenant. */
export type FeatureSource = 'kill_switch' | 'override' | 'plan' | 'rollout' | 'default';

export interface FeatureState {
  enabled: boolean;
  source: FeatureSource;
  /** The tenant override's configuration, if any. */
  config: Record<string, unknown> | null;
}

/** `GET /api/features`: every feature of the tenant. */
export type TenantFeatures = Record<FeatureCode, FeatureState>;

/** A feature's global settings (platform console). */
export interface FeatureSetting {
  code: FeatureCode;
  description: string;
  default: boolean;
  killed: boolean;
  /** null: no rollout (the default applies). */
  rolloutPercent: number | null;
}

export interface FeatureOverride {
  enabled: boolean;
  config: Record<string, unknown> | null;
}

/** The console's features × tenants view: settings, and each listed tenant's evaluated features and overrides. */
export interface FeatureMatrix {
  features: FeatureSetting[];
  tenants: {
    tenant: TenantSummary;
    plan: string;
    features: TenantFeatures;
    overrides: Partial<Record<FeatureCode, FeatureOverride>>;
  }[];
}

/** A plan of the catalog; null limits are unlimited. */
export interface Plan {
  code: string;
  name: string;
  seats: number | null;
  monthlyLimits: Partial<Record<UsageMetric, number>>;
  rateLimitPerMinute: number | null;
  features: PlanFeature[];
  trialDays: number;
  /** Days a past-due subscription keeps full access before the tenant turns read-only. */
  graceDays: number;
  /** Stripe prices (Stripe mode): a flat monthly base and a per-seat price; a plan without them can not be bought. */
  stripePriceId: string | null;
  stripeSeatPriceId: string | null;
  /** What a tenant billed by hand (by license) pays a month, in the currency's smallest unit; counts in the console's MRR. */
  listPrice: { amount: number; currency: string } | null;
}

export type LicenseStatus = 'active' | 'expired' | 'suspended' | 'revoked';

/** A license a super admin issued to a tenant; `key` is the signed license key (tlk1.…). */
export interface License {
  id: string;
  tenantId: string;
  plan: string;
  /** null: the plan's seats. */
  seats: number | null;
  status: LicenseStatus;
  validFrom: string;
  validUntil: string | null;
  key: string;
  createdAt: string;
}

/** The tenant's plan, its current license (if any; an expired or suspended one makes the tenant read-only) and seats taken (members plus pending invitations). */
export interface TenantPlan {
  plan: Plan;
  license: Pick<License, 'status' | 'validUntil' | 'seats'> | null;
  seats: { used: number; limit: number | null };
  /** This calendar month (UTC) per metric, and its days for the chart. */
  usage: Record<UsageMetric, { used: number; limit: number | null; days: { day: string; count: number }[] }>;
  usageResetsAt: string;
  /** The plan being tried, until when, and the plan the tenant goes back to then. */
  trial: { plan: string; endsAt: string; planAfter: string } | null;
  /** Plans this tenant may try now (none once it has tried one, or while a license sets its plan). */
  trialOffers: Pick<Plan, 'code' | 'name' | 'trialDays'>[];
}

/** A limit of a tenant and how much of it is used: seats, or a monthly metric. */
export interface LimitUse {
  name: 'seats' | UsageMetric;
  used: number;
  limit: number;
}

/** A tenant close to (or at) a limit, for the platform console; from the periodic check at `checkedAt`. */
export interface TenantNearLimits {
  tenant: TenantSummary;
  plan: string;
  /** The fullest limit, in percent (may pass 100: lowering a plan removes nobody). */
  peak: number;
  limits: LimitUse[];
  checkedAt: string;
}

/** A license ending soon, for the platform console. */
export interface ExpiringLicense {
  tenant: TenantSummary;
  validUntil: string;
}

/** Where "Continue with SSO" goes for an email address (its domain picks the connection). */
/** What a mailed link would confirm (the link stays unused): which identity provider may sign in whom, where. */
export interface SsoLinkPreview {
  tenantName: string;
  connectionName: string;
  idpEntityId: string;
  email: string;
}

/** A confirmed link of an account to a connection: sign in through it now. */
export interface SsoLinkConfirmed {
  connectionName: string;
  loginUrl: string;
}

export interface SsoDiscovery {
  connectionId: string;
  connectionName: string;
  /** Navigate here (the tenant's own address): it redirects to the identity provider. */
  loginUrl: string;
}

/** The answer to a confirmed email address: the tenant a new account joined with it (signup's "join instead"), if any. */
export interface EmailConfirmed {
  joined: TenantSummary | null;
}

/** A tenant the caller may join because their confirmed email is on one of its auto-join domains. */
export interface JoinOption {
  tenant: TenantSummary;
  domain: string;
}

export type BillingMode = 'manual' | 'stripe';
/** Stripe's subscription statuses, and 'none' before the first one. */
export type BillingStatus =
  'none' | 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'incomplete' | 'incomplete_expired' | 'paused';

export interface InvoiceSummary {
  id: string;
  number: string | null;
  status: string | null;
  /** In the currency's smallest unit (cents). */
  amount: number;
  currency: string;
  createdAt: string;
  /** Stripe's hosted page and PDF. */
  url: string | null;
  pdfUrl: string | null;
}

/** Settings → Billing: what the tenant pays for and where it stands. */
export interface BillingOverview {
  mode: BillingMode;
  plan: Pick<Plan, 'code' | 'name'>;
  status: BillingStatus;
  seats: { used: number; limit: number | null; paid: number | null };
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  trialEnd: string | null;
  /** While past due: since when, and when the workspace turns read-only. */
  pastDue: { since: string; suspendsAt: string } | null;
  nextInvoice: { date: string; amount: number; currency: string } | null;
  invoices: InvoiceSummary[];
  /** Plans that can be bought online (Stripe mode). */
  purchasable: Pick<Plan, 'code' | 'name' | 'trialDays'>[];
}

/** Where to send the browser: Stripe Checkout or the Customer Portal. */
export interface RedirectUrl {
  url: string;
}

/** The platform console's billing view, from the copies on each tenant the subscription sync keeps. */
export interface PlatformBilling {
  mode: BillingMode;
  /** Monthly recurring revenue of active and past-due subscriptions, per currency (smallest unit). */
  mrr: { currency: string; amount: number }[];
  /** Tenants per subscription status (no subscription: `none`). */
  byStatus: Partial<Record<BillingStatus, number>>;
  /** Tenants whose payment failed, oldest first, and when each turns read-only. */
  failedPayments: {
    tenant: TenantSummary;
    plan: string;
    since: string;
    suspendsAt: string;
    amount: number;
    currency: string | null;
  }[];
}

/** Whether a workspace address is free, and free ones close to it when not. */
export interface SlugAvailability {
  slug: string;
  available: boolean;
  /** Why not: taken by another workspace, reserved by the platform, or not a valid address. */
  reason: 'taken' | 'reserved' | 'invalid' | null;
  suggestions: string[];
}

/** A plan as the signup wizard shows it: what it allows, its trial, and whether it is bought through Stripe here. */
export interface PublicPlan extends Pick<Plan, 'code' | 'name' | 'seats' | 'monthlyLimits' | 'features' | 'trialDays'> {
  /** Stripe mode, with prices: chosen at signup, it goes to Checkout. */
  purchasable: boolean;
}

export interface PublicPlans {
  mode: BillingMode;
  plans: PublicPlan[];
}

/** A row of an imported CSV that was not imported, and why (row 1 is the header). */
export interface ImportRowError {
  row: number;
  field: string | null;
  message: string;
}

/** A CSV import of contacts: queued, then running with progress, then done (or failed as a whole). */
export interface ContactImport {
  id: string;
  fileName: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  totalRows: number;
  processedRows: number;
  importedRows: number;
  failedRows: number;
  /** The first 1,000 refused rows. */
  errors: ImportRowError[];
  createdAt: string;
  finishedAt: string | null;
}
