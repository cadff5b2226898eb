import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { TooManyRequests } from '../errors.js';

interface Failures {
  count: number;
  lastAt: number;
}

export interface ThrottlePolicy {
  /** Failures allowed before any waiting is imposed. */
  freeAttempts: number;
  /** The longest wait ever imposed, ms: the right user is never locked out for longer. */
  maxDelayMs: number;
  /** After this long without a failure the count starts again, ms. */
  forgetAfterMs: number;
}

export const defaultThrottlePolicy: ThrottlePolicy = { freeAttempts: 5, maxDelayMs: 5 * 60_000, forgetAfterMs: 15 * 60_000 };

/**
 * Slows, then refuses, repeated wrong passwords or client secrets for one identity (a username, a
 * client id), as RFC 6749 §4.3.2 and §2.3.1 require. After `freeAttempts` failures each further
 * attempt must wait twice as long as the one before (1 s, 2 s, 4 s… up to `maxDelayMs`) after the
 * latest failure; trying earlier is answered 429 with `Retry-After`, without checking the secret.
 * A success clears the count. Keys are kept in memory (bounded); several instances each count
 * on their own until a shared store is added.
 */
export class Throttle {
  private readonly failures: LRUCache<string, Failures>;

  constructor(
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = defaultThrottlePolicy,
  ) {
    this.failures = new LRUCache({ max: 100_000 });
  }

  /** How long `key` must still wait, ms (0 = it may try now). */
  waitFor(key: string): number {
    const entry = this.current(key);
    if (!entry || entry.count < this.policy.freeAttempts) return 0;
    const delay = Math.min(1000 * 2 ** (entry.count - this.policy.freeAttempts), this.policy.maxDelayMs);
    return Math.max(0, entry.lastAt + delay - this.clock.now());
  }

  /** Throws 429 when `key` must wait; call before checking the secret. */
  check(key: string): void {
    const wait = this.waitFor(key);
    if (wait > 0) throw new TooManyRequests(wait / 1000);
  }

  failed(key: string): void {
    const entry = this.current(key);
    this.failures.set(key, { count: (entry?.count ?? 0) + 1, lastAt: this.clock.now() });
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string): Failures | undefined {
    const entry = this.failures.get(key);
    if (entry && this.clock.now() - entry.lastAt > this.policy.forgetAfterMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
