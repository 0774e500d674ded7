import { AsyncLocalStorage } from 'node:async_hooks';

export interface ResolvedTenant {
  id: string;
  slug: string;
  name: string;
  status: string;
  /** Of its current license: 'expired' and 'suspended' make the tenant read-only. */
  licenseStatus?: string;
  /** Its plan's code (limits and rate limit). */
  plan?: string;
  /** Why the operator suspended it (shown to its people). */
  suspendedReason?: string | null;
  /** The dedicated database holding its rows; null: the shared one; absent: not looked up yet. */
  databaseId?: string | null;
}

/** What the API knows about the request in flight; one object per request. */
export interface RequestState {
  readonly requestId: string;
  tenant?: ResolvedTenant;
  userId?: string;
  /** The super admin acting as `userId` (impersonation): the audit log names them as the actor, on behalf of `userId`. */
  impersonatorId?: string;
  /** A super admin working from the console (not impersonating): what they change in a tenant is also written to the platform's log. */
  platformActor?: boolean;
  /** Who acts when no person does (an API key: "API key tk_live_ab12cd"), for the audit log. */
  actorLabel?: string;
  /** Where the request came from, for the audit trail and throttling. */
  ip?: string;
  userAgent?: string;
}

const storage = new AsyncLocalStorage<RequestState>();

/**
 * Request-local state carried through AsyncLocalStorage. Entered with `run`
 * (never `enterWith`, which leaks into whatever runs next on the same path).
 */
export const RequestContext = {
  run<T>(state: RequestState, fn: () => T): T {
    return storage.run(state, fn);
  },
  current(): RequestState | undefined {
    return storage.getStore();
  },
  /**
   * Runs `fn` outside any request. For callbacks of shared resources (pooled
   * connections keep the context of the request that opened them), so what
   * they log is not attributed to that request's tenant.
   */
  outside<T>(fn: () => T): T {
    return storage.exit(fn);
  },
};
