import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Profile } from '@node-saml/node-saml';
import { MultiSamlStrategy, type MultiStrategyConfig, type VerifyWithRequest } from '@node-saml/passport-saml';
import type { Request, Response } from 'express';
import passport from 'passport';
import type { SsoConnectionEntity } from './entities/sso-connection.entity.js';
import {
  checkDelivery,
  readAssertion,
  SamlRefusal,
  type AssertionFacts,
  type ResponseEnvelope,
} from './saml-response.js';
import { CLOCK_SKEW_MS, samlOptionsOf } from './saml-options.js';
import type { ServiceProvider } from './service-provider.js';
import { SsoRequestStore } from './sso-request-store.js';

/** An ACS post that passed everything checked before a parser verifies it: its connection, and what its root says. */
export interface SamlAdmission {
  connection: SsoConnectionEntity;
  sp: ServiceProvider;
  envelope: ResponseEnvelope;
}

/** The admission of each ACS request while the strategy reads it. */
const admissions = new WeakMap<Request, SamlAdmission>();

type SamlOptionsCallback = Parameters<MultiStrategyConfig['getSamlOptions']>[1];

/**
 * The strategy as Nest's mixin builds it: options, then the verify callback
 * it appends. passport-saml's typing also asks for a logout callback; there
 * is no single logout, and a logout message never gets past the ACS checks.
 */
const SamlPassportStrategy = PassportStrategy(
  MultiSamlStrategy as unknown as new (options: MultiStrategyConfig, verify: VerifyWithRequest) => MultiSamlStrategy,
  'saml',
);

/**
 * Passport's SAML strategy, one connection per request: node-saml checks the
 * signatures against the connection's pinned certificates, audience, time
 * limits and InResponseTo (against the connection's request IDs in Redis);
 * then our checks of what node-saml leaves out (status, Destination,
 * Recipient, Issuer, an expiry) and replay. The verified assertion is the
 * strategy's user; SsoLoginService decides who it signs in.
 */
@Injectable()
export class SamlStrategy extends SamlPassportStrategy {
  constructor(private readonly store: SsoRequestStore) {
    super({
      passReqToCallback: true,
      // passport-saml types requests with its own copy of Express 4's types.
      getSamlOptions: (req, done) => samlOptionsFor(store, req as unknown as Request, done),
    });
  }

  /**
   * Verifies the response posted to the ACS of an admitted request. Passport
   * never answers the request itself: a refusal rejects (with node-saml's
   * error or a SamlRefusal) for SsoLoginService to record and show.
   */
  async read(req: Request, res: Response, admission: SamlAdmission): Promise<AssertionFacts> {
    // The HTTP-POST binding only. Without a posted response Passport would answer the browser itself (with an
    // AuthnRequest), and a SAML message in the query string would be read instead of the posted one, past its bounds.
    const posted = (req.body as Record<string, unknown> | undefined)?.SAMLResponse;
    if (typeof posted !== 'string' || req.query.SAMLResponse !== undefined || req.query.SAMLRequest !== undefined)
      throw new SamlRefusal('malformed');
    admissions.set(req, admission);
    return new Promise<AssertionFacts>((resolve, reject) => {
      // This instance, not the process-wide 'saml' name (the last app built in a process owns it), on a
      // fresh object per request as Passport makes for a name: it stores the request's outcome on it.
      const strategy: passport.Strategy = Object.create(this);
      const authenticate = passport.authenticate(
        strategy,
        { session: false },
        (error: unknown, facts: AssertionFacts | false) =>
          error ? reject(error as Error) : facts ? resolve(facts) : reject(new SamlRefusal('malformed')),
      ) as (req: Request, res: Response, next: (error?: unknown) => void) => void;
      // Reached only when the strategy neither verified nor refused (no response to read): refused all the same.
      authenticate(req, res, (error) => reject(error instanceof Error ? error : new SamlRefusal('malformed')));
    }).finally(() => admissions.delete(req));
  }

  /** The verify callback: node-saml's profile, held to our checks. */
  async validate(req: Request, profile: Profile | null): Promise<AssertionFacts> {
    const { connection, sp, envelope } = admissions.get(req)!;
    if (!profile?.getAssertionXml) throw new SamlRefusal('malformed');
    const facts = readAssertion(profile.getAssertionXml());
    checkDelivery(envelope, facts, { acsUrl: sp.acsUrl, idpEntityId: connection.idpEntityId });
    if (!(await this.store.firstUse(connection.id, facts.id, new Date(facts.expiresAt!.getTime() + CLOCK_SKEW_MS)))) {
      throw new SamlRefusal('replayed');
    }
    return facts;
  }
}

/** getSamlOptions: the options of the request's admitted connection; a request nobody admitted is refused. */
function samlOptionsFor(store: SsoRequestStore, req: Request, done: SamlOptionsCallback): void {
  const admission = admissions.get(req);
  if (!admission) return done(new SamlRefusal('malformed'));
  done(null, samlOptionsOf(admission.connection, admission.sp, store.requests(admission.connection.id)));
}
