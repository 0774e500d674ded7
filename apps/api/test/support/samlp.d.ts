// samlp ships no types: what the tests use of it (an identity provider's sign-in handler).
declare module 'samlp' {
  import type { RequestHandler } from 'express';

  const samlp: { auth(options: Record<string, unknown>): RequestHandler };
  export default samlp;
}
