/**
 * Which enabled SSO connection of the resolved tenant serves a domain. The
 * SSO module keeps the connections and depends on this one, so it provides
 * the answer under SSO_CONNECTION_LOOKUP; without it no domain has one.
 */
export interface SsoConnectionLookup {
  /** The id of the tenant's oldest enabled connection serving `domain`; null when none does. */
  enabledConnectionFor(domain: string): Promise<string | null>;
}

export const SSO_CONNECTION_LOOKUP = Symbol('SSO_CONNECTION_LOOKUP');
