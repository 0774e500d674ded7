import argon2 from 'argon2';

// OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes and checks passwords with argon2id. */
export class PasswordHasher {
  // Verified against when the email is unknown, so both paths cost the same time.
  private readonly decoy = argon2.hash('decoy-password-never-matches', OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  /** True for a hash made with other parameters than today's: rehash it at the next successful sign-in. */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, OPTIONS);
    } catch {
      return true;
    }
  }

  /** False for an account without a password (the decoy is checked only to spend the same time). */
  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      const matches = await argon2.verify(hash ?? (await this.decoy), password);
      return hash !== null && matches;
    } catch {
      return false; // a malformed stored hash never logs anyone in
    }
  }
}
