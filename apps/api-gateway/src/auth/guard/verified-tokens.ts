import type { AuthenticatedUser } from '../auth.types';

/**
 * Access tokens already verified, with their caller: bounded (least recently used goes first) and
 * never past the token's `exp`. A client sends the same token for its whole life, and a hit costs
 * a Map lookup instead of an RS256 verification (see bench/access-token-verification.bench.ts).
 * Keyed by the whole token: a token differing by one character is another key, verified anew.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, AuthenticatedUser>();

  constructor(private readonly capacity: number) {}

  /** The caller of a token verified before and not expired yet. */
  get(token: string): AuthenticatedUser | undefined {
    const caller = this.entries.get(token);
    if (!caller) return undefined;
    this.entries.delete(token);
    if (caller.exp * 1000 <= Date.now()) return undefined;
    // Most recently used last: the first key is the one to evict.
    this.entries.set(token, caller);
    return caller;
  }

  remember(token: string, caller: AuthenticatedUser): void {
    if (this.entries.size >= this.capacity && !this.entries.has(token)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, caller);
  }

  get size(): number {
    return this.entries.size;
  }
}
